// DICOM tag constants as dicom-parser keys ('x' + group + element, lower-case hex).
// Thread-neutral. Names follow the PS3.6 data dictionary keywords:
// https://dicom.nema.org/medical/dicom/current/output/chtml/part06/chapter_6.html

export const TAG = {
  TransferSyntaxUID: 'x00020010',
  MediaStorageSOPClassUID: 'x00020002',
  MediaStorageSOPInstanceUID: 'x00020003',
  SpecificCharacterSet: 'x00080005',
  ImageType: 'x00080008',
  SOPClassUID: 'x00080016',
  SOPInstanceUID: 'x00080018',
  StudyDate: 'x00080020',
  Modality: 'x00080060',
  InstitutionName: 'x00080080',
  StudyDescription: 'x00081030',
  SeriesDescription: 'x0008103e',
  PatientName: 'x00100010',
  PatientID: 'x00100020',
  PatientBirthDate: 'x00100030',
  SliceThickness: 'x00180050',
  FrameTime: 'x00181063',
  StudyInstanceUID: 'x0020000d',
  SeriesInstanceUID: 'x0020000e',
  SeriesNumber: 'x00200011',
  InstanceNumber: 'x00200013',
  ImagePositionPatient: 'x00200032',
  ImageOrientationPatient: 'x00200037',
  SamplesPerPixel: 'x00280002',
  PhotometricInterpretation: 'x00280004',
  PlanarConfiguration: 'x00280006',
  NumberOfFrames: 'x00280008',
  Rows: 'x00280010',
  Columns: 'x00280011',
  PixelSpacing: 'x00280030',
  BitsAllocated: 'x00280100',
  BitsStored: 'x00280101',
  HighBit: 'x00280102',
  PixelRepresentation: 'x00280103',
  WindowCenter: 'x00281050',
  WindowWidth: 'x00281051',
  RescaleIntercept: 'x00281052',
  RescaleSlope: 'x00281053',
  RescaleType: 'x00281054',
  RedPaletteColorLookupTableDescriptor: 'x00281101',
  GreenPaletteColorLookupTableDescriptor: 'x00281102',
  BluePaletteColorLookupTableDescriptor: 'x00281103',
  RedPaletteColorLookupTableData: 'x00281201',
  GreenPaletteColorLookupTableData: 'x00281202',
  BluePaletteColorLookupTableData: 'x00281203',
  SegmentedRedPaletteColorLookupTableData: 'x00281221',
  SegmentedGreenPaletteColorLookupTableData: 'x00281222',
  SegmentedBluePaletteColorLookupTableData: 'x00281223',
  FloatPixelData: 'x7fe00008',
  DoubleFloatPixelData: 'x7fe00009',
  PixelData: 'x7fe00010',
} as const;
export type TagKey = (typeof TAG)[keyof typeof TAG];

/** "x00280010" → "(0028,0010)" for messages. */
export function formatTag(key: string): string {
  return `(${key.slice(1, 5).toUpperCase()},${key.slice(5, 9).toUpperCase()})`;
}
