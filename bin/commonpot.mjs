#!/usr/bin/env node
// `npx commonpot …`: the command-line tools (server/cli/commonpot.ts), run from source through tsx
// (a dependency), so they work straight after `npm install` without a build.
import { register } from 'tsx/esm/api'

register()
const { runCli } = await import('../server/cli/commonpot.ts')
process.exitCode = await runCli(process.argv.slice(2), (line) => console.log(line))
