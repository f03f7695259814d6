// Privacy flags of the commands that write files: the de-identification options, --keep-identity, and the per-set
// secret (read from --secret FILE as hex, created there when the file does not exist yet (mode 600), or made for this
// run only). Node only.
import { readFile, writeFile } from 'node:fs/promises';
import { newDeidSecret, secretFromHex, secretToHex } from '../src/dicom/deidentify/pseudonyms';
import type { DeidOptions, SafePrivateTag } from '../src/dicom/deidentify/rules';

export interface LoadedSecret { secret: Uint8Array; source: 'file' | 'created' | 'this-run' }

export async function loadOrCreateSecret(path: string | undefined): Promise<LoadedSecret> {
  if (!path) return { secret: newDeidSecret(), source: 'this-run' };
  let text: string | null = null;
  try { text = await readFile(path, 'utf8'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (text !== null) return { secret: secretFromHex(text), source: 'file' };
  const secret = newDeidSecret();
  await writeFile(path, `${secretToHex(secret)}\n`, { mode: 0o600, flag: 'wx' });
  return { secret, source: 'created' };
}

export const SECRET_NOTE: Record<LoadedSecret['source'], string> = {
  file: 'secret read from --secret: UIDs, patient pseudonyms and the date offset match earlier runs with it',
  created: 'new secret saved to --secret: pass the same file to later runs to keep UIDs and dates consistent; never share it',
  'this-run': 'secret made for this run only: pass --secret FILE to keep UIDs and dates consistent across runs',
};

/** What the de-identifying commands do with identity: the engine's options and secret, or keep it (an explicit flag). */
export interface Privacy { keepIdentity: boolean; options: DeidOptions; secret: LoadedSecret }

const FLAGS: Record<string, keyof DeidOptions> = {
  '--shift-dates': 'shiftDates', '--clean-descriptors': 'cleanDescriptors',
  '--keep-patient-characteristics': 'keepPatientCharacteristics', '--keep-device-identity': 'keepDeviceIdentity',
};

/**
 * A Retain Safe Private list (PS3.15 E.3.10) from a JSON file: [{ "creator": "ACME 1.1", "group": "0009", "element":
 * "01" }, …] — the private creator, the odd group and the element byte within the creator's block (hex strings or numbers).
 */
export async function readSafePrivate(path: string | undefined): Promise<SafePrivateTag[]> {
  const fail = (why: string) => Object.assign(new Error(`--safe-private ${path ?? ''}: ${why}`), { name: 'UsageError' });
  if (!path) throw fail('needs a JSON file');
  let raw: unknown;
  try { raw = JSON.parse(await readFile(path, 'utf8')); } catch (e) { throw fail((e as Error).message); }
  if (!Array.isArray(raw)) throw fail('expected a list');
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^[0-9a-f]{1,4}$/i.test(v) ? parseInt(v, 16) : NaN);
  return raw.map((entry, i) => {
    const e = entry as Record<string, unknown>;
    const tag = { creator: String(e.creator ?? '').trim(), group: num(e.group), element: num(e.element) };
    if (!tag.creator || !(tag.group & 1) || !(tag.group <= 0xffff) || !(tag.element >= 0 && tag.element <= 0xff)) throw fail(`entry ${i} needs a creator, an odd group and an element byte`);
    return tag;
  });
}

/** Takes the privacy flags (and --secret FILE) out of `args`; the rest is left for the command's own parser. */
export async function takePrivacyArgs(args: string[], defaults: DeidOptions = {}): Promise<{ rest: string[]; privacy: Privacy }> {
  const options: DeidOptions = { ...defaults };
  const rest: string[] = [];
  let keepIdentity = false;
  let secretFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const option = FLAGS[a];
    if (option) (options as Record<string, boolean>)[option] = true;
    else if (a === '--keep-identity') keepIdentity = true;
    else if (a === '--secret') secretFile = args[++i];
    else if (a === '--safe-private') options.safePrivate = await readSafePrivate(args[++i]);
    else rest.push(a);
  }
  return { rest, privacy: { keepIdentity, options, secret: await loadOrCreateSecret(secretFile) } };
}
