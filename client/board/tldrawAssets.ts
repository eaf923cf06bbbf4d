/**
 * tldraw's fonts, icons, translations and embed icons, served by this app: without these URLs
 * tldraw loads them from its CDN, which a workshop on a closed network cannot reach.
 * `getAssetUrlsByImport` imports each file with `?url`, so Vite copies them into the build.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import type { TLUiAssetUrlOverrides } from '@tldraw/tldraw'

export const tldrawAssetUrls: TLUiAssetUrlOverrides = getAssetUrlsByImport()

export function licenseKeyFromEnv(): string | undefined {
  // tldraw also looks for this itself, but not reliably inside a pre-bundled dependency.
  const key: unknown = import.meta.env.VITE_TLDRAW_LICENSE_KEY
  return typeof key === 'string' && key !== '' ? key : undefined
}
