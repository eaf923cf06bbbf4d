/** Whether the keyboard's command key is ⌘ (Apple) rather than Ctrl: shortcut labels follow it. */
export const isApplePlatform = (): boolean =>
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)
