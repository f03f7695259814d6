// Export gate: a teaching packet may carry an instance only if its header says Patient Identity Removed (0012,0062)
// = YES (PS3.3 C.7.1.1; the de-identification itself is PS3.15 Annex E, src/dicom/deidentify when it lands).
// Until then export refuses identified data instead of leaking it. Pure, thread-neutral.
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
