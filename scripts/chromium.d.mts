/** Flags for headless chromium in containers (see chromium.mjs). */
export declare const CHROMIUM_ARGS: string[];
/** CHROMIUM_ARGS plus the flag that turns WebGPU on (SwiftShader when headless). */
export declare const CHROMIUM_WEBGPU_ARGS: string[];
/** The chromium executable, installed with apt when missing and running as root. */
export declare function findChromium(): string;
