/**
 * tldraw's fonts, icons, translations and embed icons, served by this app: without these URLs
 * tldraw loads them from its CDN, which a workshop on a closed network cannot reach.
 * `getAssetUrlsByImport` imports each file with `?url`, so Vite copies them into the build.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import type { TLUiAssetUrlOverrides } from '@tldraw/tldraw'

export const tldrawAssetUrls: TLUiAssetUrlOverrides = getAssetUrlsByImport()
