// What an export does to identity, before it happens: the de-identification options (PS3.15 Annex E, Basic Profile
// always), keeping identity where that is allowed (it says what it means), and images that may carry burned-in text,
// which must be acknowledged before the Export button works. Presentational: props in, callbacks out.
import { Modal } from './Modal';
import { useState } from 'react';
import type { DeidOptions } from '../dicom/deidentify/rules';
import type { BurnedInReason } from '../dicom/burnedIn';

export interface ExportPrivacyChoice { options: DeidOptions; keepIdentity: boolean; acknowledgedBurnedIn: boolean }

interface Props {
  title: string;
  /** Whether "keep identity" is offered (never for teaching packets, which exist to be shared). */
  allowKeepIdentity: boolean;
  /** Images that may carry burned-in text; null while they are being checked. */
  burnedIn: { label: string; reasons: BurnedInReason[] }[] | null;
  busy: boolean;
  onExport: (choice: ExportPrivacyChoice) => void;
  onCancel: () => void;
}

const OPTIONS: [keyof Omit<DeidOptions, 'safePrivate'>, string, string][] = [
  ['shiftDates', 'Shift dates', 'Every date moves back by the same number of days (one per set), so intervals between scans stay true.'],
  ['cleanDescriptors', 'Keep descriptions', 'Study and series descriptions, protocol names and comments are kept with names and IDs found in them replaced by *.'],
  ['keepPatientCharacteristics', 'Keep sex, age, size and weight', 'Useful for teaching; together with other details they can narrow down who the patient is.'],
  ['keepDeviceIdentity', 'Keep device identity', 'Scanner serial numbers and station names.'],
];

export const BURNED_IN_TEXT: Record<BurnedInReason, string> = {
  flag: 'the file says it has burned-in annotation',
  modality: 'its modality usually carries text in the image',
  'secondary-capture': 'it is a secondary capture or screenshot',
  'corner-text': 'text-like marks were found in a corner of the image',
};

export function ExportPrivacyDialog({ title, allowKeepIdentity, burnedIn, busy, onExport, onCancel }: Props) {
  const [options, setOptions] = useState<DeidOptions>({});
  const [keepIdentity, setKeepIdentity] = useState(false);
  const [acknowledged, setAcknowledged] = useState(false);
  const needsAck = !keepIdentity && (burnedIn?.length ?? 0) > 0;
  const ready = burnedIn !== null && (!needsAck || acknowledged) && !busy;
  return (
    <Modal label={title} onClose={onCancel} testId="export-privacy">
      {(close) => (
      <div className="export-privacy">
        <h2>{title}</h2>
        <p>
          {keepIdentity
            ? <strong data-testid="identity-kept">Identity is kept: this file names the patient. Share it only where the patient's data may go.</strong>
            : <>Lucid de-identifies what it exports (DICOM PS3.15 Annex E, Basic Application Level Confidentiality Profile): names, IDs, dates, institutions, private tags, overlays and curves are removed or emptied, and UIDs are replaced consistently so series and references still line up. Pixels are kept as they are.</>}
        </p>
        <fieldset disabled={keepIdentity}>
          <legend>Options</legend>
          {OPTIONS.map(([key, label, hint]) => (
            <label key={key} title={hint}>
              <input type="checkbox" checked={!!options[key]} onChange={(e) => setOptions((o) => ({ ...o, [key]: e.target.checked }))} data-testid={`deid-${key}`} />
              {label} <small>{hint}</small>
            </label>
          ))}
        </fieldset>
        {allowKeepIdentity && (
          <label className="keep-identity">
            <input type="checkbox" checked={keepIdentity} onChange={(e) => setKeepIdentity(e.target.checked)} data-testid="deid-keep-identity" />
            Keep patient identity (not de-identified)
          </label>
        )}
        {burnedIn === null && <p role="status">Checking the images for burned-in text…</p>}
        {needsAck && (
          <div className="warning" role="alert" data-testid="burned-in-warning">
            <p><strong>{burnedIn!.length} image{burnedIn!.length === 1 ? '' : 's'} may carry text burned into the pixels.</strong> De-identification does not remove text from pixels: look at each before sharing.</p>
            <ul>
              {burnedIn!.slice(0, 8).map((b, i) => <li key={i}>{b.label}: {b.reasons.map((r) => BURNED_IN_TEXT[r]).join('; ')}</li>)}
              {burnedIn!.length > 8 && <li>and {burnedIn!.length - 8} more</li>}
            </ul>
            <label>
              <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} data-testid="burned-in-ack" />
              I have looked at these images: no name, ID or date is written in them
            </label>
          </div>
        )}
        <div className="row">
          <button onClick={() => onExport({ options, keepIdentity, acknowledgedBurnedIn: acknowledged })} disabled={!ready} data-testid="export-confirm">{busy ? 'Exporting…' : 'Export'}</button>
          <button onClick={close}>Cancel</button>
        </div>
      </div>
      )}
    </Modal>
  );
}
