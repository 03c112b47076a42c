import uPlot from 'uplot';
import type { FromInsightsPage, LoadRequest, ToInsightsPage } from '../../core/insights/insightsView';
import type { LoadSample } from '../../core/runtime/loadRun';
import { palette } from './charts';

type Post = (message: FromInsightsPage) => void;

const FIELDS: ReadonlyArray<{ key: keyof LoadRequest; label: string; min: number; max: number }> = [
  { key: 'requests', label: 'Requests', min: 1, max: 100_000 },
  { key: 'concurrency', label: 'Concurrency (callers at once)', min: 1, max: 1000 },
  { key: 'maxEnvironments', label: 'Max environments (reserved concurrency)', min: 1, max: 1000 },
  { key: 'rampSeconds', label: 'Ramp-up (s)', min: 0, max: 600 },
];

/**
 * "What happens when 1 000 users call it": a form that starts a load run in the extension, and a live chart of
 * calls in flight, environments, cold starts and throttles (left axis) and latency p50 / p99 (right axis).
 */
export class LoadRunView {
  readonly element = document.createElement('section');
  private readonly inputs = new Map<keyof LoadRequest, HTMLInputElement>();
  private readonly start: HTMLElement;
  private readonly stop: HTMLElement;
  private readonly status = document.createElement('p');
  private readonly chartBox = document.createElement('figure');
  private plot?: uPlot;
  private series: Array<Array<number | null>> = [[], [], [], [], [], [], []];

  constructor(private readonly post: Post) {
    this.element.className = 'load-run';
    const form = document.createElement('div');
    form.className = 'load-form';
    for (const f of FIELDS) {
      const label = document.createElement('label');
      label.textContent = f.label;
      const input = document.createElement('vscode-textfield') as unknown as HTMLInputElement;
      input.setAttribute('type', 'number');
      input.setAttribute('min', String(f.min));
      input.setAttribute('max', String(f.max));
      input.dataset.field = f.key;
      label.append(input);
      form.append(label);
      this.inputs.set(f.key, input);
    }
    this.start = document.createElement('vscode-button');
    this.start.textContent = 'Start load run';
    this.start.dataset.action = 'start-load';
    this.start.addEventListener('click', () => this.begin());
    this.stop = document.createElement('vscode-button');
    this.stop.textContent = 'Stop';
    this.stop.dataset.action = 'stop-load';
    this.stop.setAttribute('secondary', '');
    this.stop.setAttribute('disabled', '');
    this.stop.addEventListener('click', () => this.post({ type: 'stop-load' }));
    form.append(this.start, this.stop);
    this.status.setAttribute('role', 'status');
    this.status.dataset.probe = 'loadStatus';
    this.chartBox.className = 'chart load-chart';
    this.element.append(form, this.status, this.chartBox);
  }

  receive(message: ToInsightsPage): void {
    if (message.type === 'load-ready') {
      for (const [key, input] of this.inputs) input.value = String(message.defaults[key]);
      if (message.enabled) this.start.removeAttribute('disabled'); else this.start.setAttribute('disabled', '');
      this.status.textContent = message.enabled ? 'Calls go through a fresh pool of local environments, as a burst of users would reach Lambda.' : message.reason ?? '';
    } else if (message.type === 'load-sample') {
      this.draw(message.sample);
    } else if (message.type === 'load-done') {
      const s = message.summary;
      this.running(false);
      this.status.textContent = `${s.completed} calls in ${(s.wallMs / 1000).toFixed(1)} s (${s.throughputPerSecond.toFixed(0)}/s)${s.cancelled ? ', stopped early' : ''}: ` +
        `${s.environments} environments, ${s.coldStarts} cold starts, ${s.throttled} throttled, ${s.errors} errors; latency p50 ${s.latencyMs.p50.toFixed(2)} ms, p99 ${s.latencyMs.p99.toFixed(2)} ms.`;
    } else if (message.type === 'load-error') {
      this.running(false);
      this.status.textContent = message.message;
    }
  }

  private begin(): void {
    const request = {} as Record<keyof LoadRequest, number>;
    for (const f of FIELDS) {
      const value = Number(this.inputs.get(f.key)!.value);
      if (!Number.isFinite(value) || value < f.min || value > f.max || (f.key !== 'rampSeconds' && !Number.isInteger(value))) {
        this.status.textContent = `${f.label}: a whole number from ${f.min} to ${f.max}.`;
        return;
      }
      request[f.key] = value;
    }
    this.series = [[], [], [], [], [], [], []];
    this.plot?.destroy();
    this.plot = undefined;
    this.running(true);
    this.status.textContent = `Running ${request.requests} calls, ${request.concurrency} at a time…`;
    this.post({ type: 'load', request });
  }

  private running(on: boolean): void {
    if (on) { this.start.setAttribute('disabled', ''); this.stop.removeAttribute('disabled'); } else { this.start.removeAttribute('disabled'); this.stop.setAttribute('disabled', ''); }
  }

  private draw(s: LoadSample): void {
    // No latency in a sample that saw no call end: a gap in the line, not a zero.
    const values = [s.elapsedMs / 1000, s.inFlight, s.environments, s.coldStarts, s.throttled, s.latencyMs.p50 || null, s.latencyMs.p99 || null];
    values.forEach((v, i) => this.series[i].push(v));
    this.status.textContent = `${(s.elapsedMs / 1000).toFixed(1)} s: ${s.completed} done, ${s.inFlight} in flight, ${s.environments} environments, ${s.coldStarts} cold starts, ${s.throttled} throttled`;
    const data = this.series as uPlot.AlignedData;
    if (this.plot) { this.plot.setData(data); return; }
    const p = palette();
    const axis = { stroke: p.fg, grid: { stroke: p.grid } };
    this.plot = new uPlot({
      title: 'Load run (live)', width: Math.max(360, this.chartBox.clientWidth || 720), height: 260, legend: { live: false },
      scales: { x: { time: false }, ms: {} },
      axes: [{ ...axis, label: 's' }, { ...axis, label: 'calls / environments' }, { ...axis, scale: 'ms', side: 1, label: 'latency ms', grid: { show: false } }],
      series: [
        { label: 's' },
        { label: 'in flight', stroke: p.blue, width: 2 },
        // Thick under thin and dashed: the two are often equal (each new environment is a cold start).
        { label: 'environments', stroke: p.yellow, width: 4 },
        { label: 'cold starts', stroke: p.orange, width: 1.5, dash: [6, 3] },
        { label: 'throttled', stroke: p.red, width: 2 },
        { label: 'p50 ms', stroke: p.green, scale: 'ms', dash: [4, 3] },
        { label: 'p99 ms', stroke: p.purple, scale: 'ms', dash: [4, 3] },
      ],
    }, data, this.chartBox);
  }
}
