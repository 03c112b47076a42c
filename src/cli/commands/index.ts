import type { CommandEntry } from '../cliCommand';

/** Every sub-command, in the order `--help` lists them. Each lives in its own file beside this one, loaded when it runs. */
export const commands: readonly CommandEntry[] = [
  { name: 'invoke', summary: 'run a handler locally against an event', load: async () => (await import('./invoke.js')).invokeCommand },
  { name: 'load', summary: 'call a handler many times at once: cold starts, environments, throttles, latency', load: async () => (await import('./load.js')).loadCommand },
  { name: 'start', summary: "run a template's APIs and function URLs locally over HTTP (no Docker)", load: async () => (await import('./start.js')).startCommand },
  { name: 'serve', summary: "serve Lambda's Invoke API for local functions (SDK / AWS CLI --endpoint-url)", load: async () => (await import('./serve.js')).serveCommand },
  { name: 'insights', summary: 'cold starts, durations, memory and cost of recorded invocations', load: async () => (await import('./insights.js')).insightsCommand },
  { name: 'events', summary: 'list and generate sample events', load: async () => (await import('./events.js')).eventsCommand },
  { name: 'new', summary: 'create a handler from a trigger template', load: async () => (await import('./new.js')).newCommand },
  { name: 'functions', summary: 'list, invoke and deploy functions on AWS', load: async () => (await import('./functions.js')).functionsCommand },
  { name: 'logs', summary: 'tail and search CloudWatch Logs of functions', load: async () => (await import('./logs.js')).logsCommand },
];
