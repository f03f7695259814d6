// Export gate, the last check before a packet is written: every instance's own header must say Patient Identity
// Removed (0012,0062) = YES (PS3.3 C.7.1.1). The app de-identifies first (src/teaching/packet/deidentifyPacket.ts,
// PS3.15 engine), so this only fires if a path ever skips that. Pure, thread-neutral.
import { IdentifiedDataError } from '../../shared/errors';
import type { InstanceHeader } from '../../shared/types';

/** Throws IdentifiedDataError naming how many instances are not marked de-identified and which series they are in. */
export function checkDeidentified(headers: readonly Pick<InstanceHeader, 'patientIdentityRemoved' | 'seriesDescription' | 'modality' | 'sopInstanceUID'>[]): void {
  const identified = headers.filter((h) => !h.patientIdentityRemoved);
  if (identified.length === 0) return;
  const series = [...new Set(identified.map((h) => [h.modality, h.seriesDescription].filter(Boolean).join(' ') || 'unnamed series'))];
  const where = series.slice(0, 3).join('; ') + (series.length > 3 ? `; and ${series.length - 3} more` : '');
  throw new IdentifiedDataError(
    `Export refused: ${identified.length} of ${headers.length} image${headers.length === 1 ? '' : 's'} ` +
    `${identified.length === 1 ? 'is' : 'are'} not marked as de-identified (Patient Identity Removed (0012,0062) is not YES), ` +
    `so the packet could reveal who the patient is (${where}). De-identify these images first, then export again.`,
  );
}
