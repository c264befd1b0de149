// The app icon set in resources/icons (made by scripts/make-icons.mjs), for the window, the tray and
// notifications. In a packaged app it is read from the unpacked side of the archive, because a
// notification daemon is another program and cannot read inside app.asar.
import { join } from 'node:path';
import { outsideAsar } from '../src/main/asar-paths.js';

export const ICON_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024] as const;
export type IconSize = (typeof ICON_SIZES)[number];

/** The icon of `size` pixels, from the folder of the built shell (out/main). */
export function appIconPath(shellDir: string, size: IconSize): string {
  return outsideAsar(join(shellDir, '..', '..', 'resources', 'icons', `${size}x${size}.png`));
}
