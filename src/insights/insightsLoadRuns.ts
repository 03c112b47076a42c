import * as vscode from 'vscode';
import type { LoadRequest, ToInsightsPage } from '../core/insights/insightsView';
import { runLoad } from '../core/runtime/loadRun';
import { cancellable } from '../ui/cancellable';
import type { LocalHandlers } from '../localHandlers/registerLocalHandlers';
import { localFunctionName } from '../localHandlers/localRunner';
import type { OutputLog } from '../output/outputLog';

/** What the Insights page needs of load runs: whether one can start, and starting one. */
export interface InsightsLoadRuns {
  ready(fn: string): Promise<Extract<ToInsightsPage, { type: 'load-ready' }>>;
  /** Runs until done or `signal` aborts; every sample and the outcome go to `post`. */
  run(fn: string, request: LoadRequest, post: (message: ToInsightsPage) => void, signal: AbortSignal): Promise<void>;
}

const DEFAULTS: LoadRequest = { requests: 200, concurrency: 20, maxEnvironments: 20, rampSeconds: 0 };

/**
 * Load runs from the panel, for local handlers: a fresh LocalLambda (so every environment it starts is one of this
 * run's cold starts, and Run's warm environments are not borrowed), the handler's chosen event, a cancellable
 * notification, and the pool's limit as the function's reserved concurrency.
 */
export function insightsLoadRuns(local: Pick<LocalHandlers, 'index' | 'runner' | 'choices'>, log: OutputLog): InsightsLoadRuns {
  const handlerOf = async (fn: string) => {
    await local.index.whenReady();
    return local.index.all().find((h) => localFunctionName(h) === fn);
  };
  return {
    async ready(fn) {
      if (!vscode.workspace.isTrusted) return { type: 'load-ready', enabled: false, reason: "A load run runs the function's code: trust this workspace to start one.", defaults: DEFAULTS };
      const handler = await handlerOf(fn);
      if (!handler) return { type: 'load-ready', enabled: false, reason: `${fn} is not a handler of this workspace, so it cannot be run here.`, defaults: DEFAULTS };
      return { type: 'load-ready', enabled: true, defaults: DEFAULTS };
    },
    async run(fn, request, post, signal) {
      const handler = await handlerOf(fn);
      if (!handler || !vscode.workspace.isTrusted) return post({ type: 'load-error', message: `Cannot start a load run of ${fn} here.` });
      let config;
      let event: string;
      try {
        config = await local.runner.configFor(handler);
        event = local.choices.read(local.choices.get(handler));
      } catch (error) {
        return post({ type: 'load-error', message: `Could not prepare ${fn}: ${error instanceof Error ? error.message : String(error)}` });
      }
      const lambda = local.runner.createLambda('run', request.maxEnvironments);
      let reported = 0;
      try {
        // Stopping (the page's Stop, the notification's Cancel) ends the run early: runLoad still answers with it.
        const summary = await cancellable(`Load run of ${fn}`, (abort, progress) => runLoad(lambda, config, event, {
          // Ten samples a second: a run of a few seconds still draws a curve.
          total: request.requests, concurrency: request.concurrency, rampMs: request.rampSeconds * 1000, signal: abort, sampleMs: 100,
          onSample: (sample) => {
            post({ type: 'load-sample', sample });
            progress.report({ increment: ((sample.completed + sample.throttled - reported) / request.requests) * 100, message: `${sample.completed} done, ${sample.inFlight} in flight, ${sample.environments} environments` });
            reported = sample.completed + sample.throttled;
          },
        }), signal);
        if (!summary) return post({ type: 'load-error', message: 'The load run was stopped.' });
        const { samples: _samples, ...rest } = summary;
        post({ type: 'load-done', summary: rest });
        log.info(`Load run of ${fn}: ${summary.completed} calls, ${summary.environments} environments, ${summary.coldStarts} cold starts, ${summary.throttled} throttled, p99 ${summary.latencyMs.p99.toFixed(1)} ms`);
      } catch (error) {
        log.showError(`The load run of ${fn} failed: ${error instanceof Error ? error.message : String(error)}`, error);
        post({ type: 'load-error', message: `The load run failed: ${error instanceof Error ? error.message : String(error)}` });
      } finally {
        await lambda.dispose();
      }
    },
  };
}
