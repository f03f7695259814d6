// The part of dcmjs (0.52, untyped JavaScript) that src/dicom uses: the TID 1500 / TID 300 builders (writeSr,
// writeAnomalySr), the Part 10 writer and reader, 1-bit packing and CIELab colours (writeSeg). Only src/dicom imports dcmjs (DESIGN.md: one folder per foreign library).
declare module 'dcmjs' {
  export type Json = Record<string, unknown>;
  export interface TID300Props extends Json { ReferencedSOPSequence: Json }
  export class TID300Measurement {
    constructor(props: TID300Props);
    props: TID300Props;
    ReferencedSOPSequence: Json;
    contentItem(): Json[];
    getMeasurement(contentSequenceEntries: Json[]): Json[];
  }
  export class OpenPolyline extends TID300Measurement {
    getPoints(): { x: number; y: number }[];
    getConceptNameCodeSequence(): Json;
    getMeasuredValueSequence(): Json | null;
  }
  export interface Unit2CodingValue {
    (unit: string | undefined): Json;
    measurementMap: Record<string, Json>;
  }
  const dcmjs: {
    data: {
      DicomDict: new (meta: Json) => { dict: Json; write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer };
      DicomMessage: { readFile(buffer: ArrayBuffer): { dict: Json; meta: Json } };
      /** 1-bit pixels, least significant bit first, frames concatenated without padding (PS3.5 8.1.1). */
      BitArray: { pack(pixels: ArrayLike<number>): Uint8Array; unpack(packed: ArrayBuffer | Uint8Array): Uint8Array };
      /** 8-bit sRGB → the 16-bit scaled CIELab triple DICOM stores (PS3.3 C.10.7.1.1). */
      Colors: { rgb82DICOMLAB(rgb: readonly number[]): number[] };
      DicomMetaDictionary: {
        denaturalizeDataset(dataset: Json): Json;
        naturalizeDataset(dict: Json): Json;
        uid(): string;
        /** PS3.6 data dictionary keyed '(GGGG,EEEE)' (upper-case hex). */
        dictionary: Record<string, { tag: string; vr: string; vm: string; name: string } | undefined>;
      };
    };
    utilities: {
      TID1500: {
        TID1500MeasurementReport: new (groups: { TID1501MeasurementGroups: unknown[] }) => {
          contentItem(derivationSourceDatasets: Json[], options?: { PersonName?: string; sopInstanceUIDsToSeriesInstanceUIDMap?: Record<string, string> }): Json;
        };
        TID1501MeasurementGroup: new (measurements: TID300Measurement[]) => unknown;
      };
      TID300: {
        TID300Measurement: typeof TID300Measurement;
        Point: typeof TID300Measurement;
        Length: typeof OpenPolyline;
        CobbAngle: typeof OpenPolyline;
        ArrowAnnotate: typeof OpenPolyline;
        Ellipse: typeof TID300Measurement;
        Polyline: typeof TID300Measurement;
        unit2CodingValue: Unit2CodingValue;
      };
    };
  };
  export default dcmjs;
}
