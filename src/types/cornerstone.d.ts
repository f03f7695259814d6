// Minimal typings for the legacy cornerstone packages (they ship none). Only src/viewer imports them.
declare module 'cornerstone-core' {
  export interface Viewport {
    scale: number;
    translation: { x: number; y: number };
    voi: { windowWidth: number; windowCenter: number };
    invert: boolean;
    hflip: boolean;
    vflip: boolean;
    rotation: number;
  }
  export interface Image {
    imageId: string;
    minPixelValue: number;
    maxPixelValue: number;
    slope: number;
    intercept: number;
    windowCenter: number;
    windowWidth: number;
    getPixelData: () => ArrayLike<number>;
    rows: number;
    columns: number;
    height: number;
    width: number;
    color: boolean;
    rgba?: boolean;
    invert: boolean;
    columnPixelSpacing?: number;
    rowPixelSpacing?: number;
    sizeInBytes: number;
    /** Own renderer for this image (cornerstone's drawImageSync calls it instead of picking one). */
    render?: (enabledElement: EnabledElement, invalidated?: boolean) => void;
  }
  /** The parts of cornerstone's enabled element its renderers read and write. */
  export interface EnabledElement {
    image: Image;
    element: HTMLElement;
    canvas: HTMLCanvasElement;
    viewport: Viewport & { pixelReplication?: boolean };
    renderingTools: {
      renderCanvas?: HTMLCanvasElement;
      renderCanvasContext?: CanvasRenderingContext2D;
      renderCanvasData?: ImageData;
      lastRenderedIsColor?: boolean;
    };
  }
  /** Image → canvas transform of an enabled element's viewport (m = a, b, c, d, e, f). */
  export const internal: { getTransform(enabledElement: EnabledElement): { m: number[] } };
  export const rendering: { grayscaleImage: (enabledElement: EnabledElement, invalidated?: boolean) => void };
  export const EVENTS: Record<string, string>;
  export function enable(el: HTMLElement, options?: object): void;
  export function disable(el: HTMLElement): void;
  export function displayImage(el: HTMLElement, image: Image, viewport?: Partial<Viewport>): void;
  export function loadAndCacheImage(imageId: string): Promise<Image>;
  export function loadImage(imageId: string): Promise<Image>;
  export function registerImageLoader(scheme: string, loader: (imageId: string) => { promise: Promise<Image>; cancelFn?: () => void }): void;
  export function getViewport(el: HTMLElement): Viewport | undefined;
  export function setViewport(el: HTMLElement, vp: Partial<Viewport>): void;
  export function reset(el: HTMLElement): void;
  export function fitToWindow(el: HTMLElement): void;
  export function resize(el: HTMLElement, fit?: boolean): void;
  export function getEnabledElement(el: HTMLElement): { image?: Image; canvas: HTMLCanvasElement } | undefined;
  export const imageCache: { setMaximumSizeBytes(n: number): void; purgeCache(): void; getCacheInfo(): { cacheSizeInBytes: number; numberOfImagesCached: number }; removeImageLoadObject(imageId: string): void };
  export function pixelToCanvas(el: HTMLElement, p: { x: number; y: number }): { x: number; y: number };
  export function pageToPixel(el: HTMLElement, pageX: number, pageY: number): { x: number; y: number };
  export function updateImage(el: HTMLElement): void;
  const cornerstone: {
    EVENTS: typeof EVENTS; enable: typeof enable; disable: typeof disable; displayImage: typeof displayImage;
    loadAndCacheImage: typeof loadAndCacheImage; loadImage: typeof loadImage; registerImageLoader: typeof registerImageLoader;
    getViewport: typeof getViewport; setViewport: typeof setViewport; reset: typeof reset; fitToWindow: typeof fitToWindow;
    resize: typeof resize; getEnabledElement: typeof getEnabledElement; imageCache: typeof imageCache;
    pixelToCanvas: typeof pixelToCanvas; pageToPixel: typeof pageToPixel; updateImage: typeof updateImage;
    rendering: typeof rendering; internal: typeof internal;
  };
  export default cornerstone;
}
declare module 'cornerstone-tools' {
  const tools: {
    external: Record<string, unknown>;
    init(config?: object): void;
    addTool(tool: unknown, config?: object): void;
    setToolActive(name: string, options: object): void;
    addToolForElement(el: HTMLElement, tool: unknown, config?: object): void;
    /** `interactionTypes` (e.g. ['Mouse']) limits which inputs the tool takes; all it supports by default. */
    setToolActiveForElement(el: HTMLElement, name: string, options: object, interactionTypes?: ('Mouse' | 'Touch' | 'MultiTouch')[]): void;
    addStackStateManager(el: HTMLElement, names: string[]): void;
    addToolState(el: HTMLElement, name: string, state: object): void;
    clearToolState(el: HTMLElement, name: string): void;
    getToolState(el: HTMLElement, name: string): { data: { currentImageIdIndex: number; imageIds: string[] }[] } | undefined;
    scrollToIndex(el: HTMLElement, index: number): void;
    playClip(el: HTMLElement, fps: number): void;
    stopClip(el: HTMLElement): void;
    WwwcTool: unknown; PanTool: unknown; ZoomTool: unknown; StackScrollMouseWheelTool: unknown;
    ZoomTouchPinchTool: unknown; PanMultiTouchTool: unknown; StackScrollTool: unknown;
    LengthTool: unknown; ProbeTool: unknown; MagnifyTool: unknown;
    AngleTool: unknown; EllipticalRoiTool: unknown; RectangleRoiTool: unknown; ArrowAnnotateTool: unknown; FreehandRoiTool: unknown;
    setToolPassiveForElement(el: HTMLElement, name: string, options?: object): void;
    getToolForElement(el: HTMLElement, name: string): object | undefined;
    /** Measurement state keyed by imageId, shared by every element that uses the default state manager. */
    globalImageIdSpecificToolStateManager: {
      saveToolState(): Record<string, Record<string, { data: unknown[] }>>;
      addImageIdToolState(imageId: string, toolName: string, data: object): void;
      getImageIdToolState(imageId: string, toolName: string): { data: unknown[] } | undefined;
    };
    /** Event names (MEASUREMENT_COMPLETED = 'cornerstonetoolsmeasurementcompleted', MOUSE_UP, …). */
    EVENTS: Record<string, string>;
  };
  export default tools;
}
declare module 'cornerstone-math';
declare module 'hammerjs';
