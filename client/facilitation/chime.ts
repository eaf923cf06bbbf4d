/**
 * A gentle two-note chime for the end of a timebox, made with Web Audio so that no sound file is
 * fetched. Browsers only allow sound after the page has been interacted with; if it cannot play,
 * the visual alert is enough.
 */
export function playChime(): void {
  try {
    const context = new AudioContext()
    const notes = [659.25, 523.25]
    notes.forEach((frequency, i) => {
      const oscillator = context.createOscillator()
      const gain = context.createGain()
      oscillator.type = 'sine'
      oscillator.frequency.value = frequency
      const start = context.currentTime + i * 0.35
      gain.gain.setValueAtTime(0, start)
      gain.gain.linearRampToValueAtTime(0.08, start + 0.03)
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.9)
      oscillator.connect(gain).connect(context.destination)
      oscillator.start(start)
      oscillator.stop(start + 1)
    })
    setTimeout(() => void context.close(), 2000)
  } catch {
    // No audio (or not allowed yet): the banner and the pulse still show.
  }
}
