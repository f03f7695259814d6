// Runs once before the suite: the bundled sample study must exist for the end-to-end tests (a fresh clone has
// none until `npm start` writes it). Under CI=true nothing may skip: every outside dependency the tests use must be
// there, or the run fails here, naming what is missing and how .ci/run installs it.
import { existsSync } from 'node:fs';
import { ensureSample } from '../scripts/writeSample';
import { CHROMIUM } from './e2e/harness';

const NEEDED: [path: string, what: string][] = [
  [CHROMIUM, 'Chromium for the end-to-end tests (apt-get install -y chromium)'],
  ['/usr/bin/dsrdump', "dcmtk's dsrdump for the SR tests (apt-get install -y dcmtk)"],
  ['test/fixtures/pydicom/.complete', "pydicom's test files (scripts/fetch-pydicom-fixtures.sh, run by npm test's pretest)"],
  ['../shared/data/dicom/mr-t1-studyforrest', 'the openly licensed sample data in ../shared/data'],
  ['../shared/standards/ps3.15-table-e1-1.tsv', "PS3.15 Table E.1-1 as data in ../shared/standards (the de-identification table's source)"],
  ['/usr/lib/python3/dist-packages/pydicom', 'python3-pydicom to re-read de-identified files (apt-get install -y python3-pydicom)'],
  ['/usr/lib/python3/dist-packages/numpy', 'python3-numpy for the conformance reference decodes (apt-get install -y python3-numpy)'],
  ['/usr/lib/python3/dist-packages/PIL', 'python3-pil for the conformance reference decodes of JPEG (apt-get install -y python3-pil)'],
  ['/usr/bin/dcmdjpls', "dcmtk's dcmdjpls/dcmdjpeg for the conformance reference decodes (apt-get install -y dcmtk)"],
  ['/usr/sbin/Orthanc', 'Orthanc and its DICOMweb plugin (apt-get install -y orthanc orthanc-dicomweb)'],
  ['/usr/share/orthanc/plugins/libOrthancDicomWeb.so', 'Orthanc and its DICOMweb plugin (apt-get install -y orthanc orthanc-dicomweb)'],
  ['/usr/bin/redis-server', "Debian's redis-server for the batch (BullMQ) tests (apt-get install -y redis-server)"],
];

export default function setup(): void {
  if (process.env.CI === 'true') {
    const missing = NEEDED.filter(([p]) => !existsSync(p)).map(([, what]) => what);
    if (missing.length) throw new Error(`CI=true and tests would skip; missing: ${missing.join('; ')}`);
  }
  console.log(ensureSample());
}
