/** Entry point: read the configuration, start the server, stop cleanly on SIGTERM/SIGINT. */
import { readConfig } from './config.ts'
import { errorMessage, log, setLogLevel } from './log.ts'
import { startServer } from './server.ts'

async function main(): Promise<void> {
  const config = readConfig()
  setLogLevel(config.logLevel)
  if (config.roomCreation === 'open' && config.organiserKeys.length > 0)
    // Keys set but not asked for: the operator most likely meant to close creation and did not.
    log('warn', 'config.organiser_keys_unused', {
      message: 'ORGANISER_KEYS is set but ROOM_CREATION is open: anyone can create workshops. Set ROOM_CREATION=key.',
    })
  const server = await startServer(config)
  const stop = (signal: string) => {
    log('info', 'server.signal', { signal })
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log('error', 'server.stop_failed', { error: errorMessage(error) })
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
}

main().catch((error: unknown) => {
  log('error', 'server.start_failed', { error: errorMessage(error) })
  process.exit(1)
})
