// Coded concepts the SR and SEG writers use, checked against the DICOM PS3.16 content mapping resource (DCM) and the
// SNOMED CT subset in PS3.16 (SCT) as pydicom's concept dictionary lists them. Naturalized code sequence items.
// Thread-neutral, data only.

export type Code = { CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string };
const dcm = (CodeValue: string, CodeMeaning: string): Code => ({ CodeValue, CodingSchemeDesignator: 'DCM', CodeMeaning });
const sct = (CodeValue: string, CodeMeaning: string): Code => ({ CodeValue, CodingSchemeDesignator: 'SCT', CodeMeaning });

export const CODE = {
  // TID 1002 Observer Context / TID 1004 Device Observer Identifying Attributes
  observerType: dcm('121005', 'Observer Type'),
  device: dcm('121007', 'Device'),
  deviceObserverUID: dcm('121012', 'Device Observer UID'),
  deviceObserverName: dcm('121013', 'Device Observer Name'),
  deviceObserverManufacturer: dcm('121014', 'Device Observer Manufacturer'),
  deviceObserverModelName: dcm('121015', 'Device Observer Model Name'),
  // TID 4019 Algorithm Identification; the family from CID 7162
  algorithmFamily: dcm('111000', 'Algorithm Family'),
  algorithmName: dcm('111001', 'Algorithm Name'),
  algorithmParameters: dcm('111002', 'Algorithm Parameters'),
  algorithmVersion: dcm('111003', 'Algorithm Version'),
  artificialIntelligence: dcm('123110', 'Artificial Intelligence'),
  /** The finding of an anomaly region (CID 222 Normality Codes): the model says "unusual", never a diagnosis. */
  abnormal: sct('263654008', 'Abnormal'),
  /** A region's score as the measurement's concept name. */
  score: sct('246262008', 'Score'),
  comment: dcm('121106', 'Comment'),
  // SEG: Segmented Property Category (CID 7150) and the derivation codes of each frame (PS3.3 C.8.20.2)
  morphologicallyAbnormalStructure: sct('49755003', 'Morphologically Abnormal Structure'),
  anatomicalStructure: sct('123037004', 'Anatomical Structure'),
  segmentation: dcm('113076', 'Segmentation'),
  sourceImageForImageProcessing: dcm('121322', 'Source image for image processing operation'),
} as const;

/** UCUM "{score}": a dimensionless score (an annotation on unity), as the score's unit. */
export const UCUM_SCORE: Code & { CodingSchemeVersion: string } = { CodeValue: '{score}', CodingSchemeDesignator: 'UCUM', CodingSchemeVersion: '1.4', CodeMeaning: 'score' };

/**
 * Segmented Property Type (CID 7151 and neighbours) of the teaching vocabulary's labels that have a standard code,
 * with their category; any other label is segmented as "Abnormal" in "Morphologically Abnormal Structure" and
 * keeps its words in Segment Label.
 */
export const FINDING_TYPES: Readonly<Record<string, { category: Code; type: Code }>> = {
  nodule: { category: CODE.morphologicallyAbnormalStructure, type: sct('27925004', 'Nodule') },
  mass: { category: CODE.morphologicallyAbnormalStructure, type: sct('4147007', 'Mass') },
  cyst: { category: CODE.morphologicallyAbnormalStructure, type: sct('367643001', 'Cyst') },
  haemorrhage: { category: CODE.morphologicallyAbnormalStructure, type: sct('50960005', 'Hemorrhage') },
  oedema: { category: CODE.morphologicallyAbnormalStructure, type: sct('79654002', 'Edema') },
  effusion: { category: CODE.morphologicallyAbnormalStructure, type: sct('41699000', 'Effusion') },
  pneumothorax: { category: CODE.morphologicallyAbnormalStructure, type: sct('36118008', 'Pneumothorax') },
  'ground-glass opacity': { category: CODE.morphologicallyAbnormalStructure, type: dcm('112120', 'Ground glass opacity') },
  'lymph node': { category: CODE.anatomicalStructure, type: sct('59441001', 'Lymph node') },
};
