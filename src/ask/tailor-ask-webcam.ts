/**
 * The camera a cell's `ask.webcam({classes, perClass, size})` shows in its
 * output: the live video, one hold-to-record button per class (pointer, or
 * Space/Enter held), a count and thumbnails per class, and Done. Frames are
 * the centre square of the camera image, scaled to `size`, as JPEG. Done
 * sends them to the kernel as `{name, path, type, bytes, label}` items.
 * No camera, or permission refused, is replied as an error the cell raises.
 *
 * The camera starts only while the kernel waits for this request (a saved
 * notebook's stale output never turns the camera on) and stops when the
 * element leaves the page.
 */
import { consume } from '@lit/context';
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { payloadReply, type AskRequest } from './ask-request.ts';
import { InputBroker, inputBrokerContext } from './input-broker.ts';

/** Milliseconds between two frames while a button is held (about 10 frames a second). */
const FRAME_INTERVAL_MS = 100;
/** Thumbnails shown per class (the latest ones). */
const THUMBNAILS = 6;
/** How long a widget waits for its request before it says the request has ended. */
const STALE_AFTER_MS = 2000;

type Phase = 'connecting' | 'live' | 'sending' | 'done' | 'failed' | 'stale';

interface Frame {
  blob: Blob;
  url: string;
}

/** The sentence for a getUserMedia failure. */
export function cameraProblem(error: unknown): string {
  const name = (error as { name?: string })?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return 'Camera permission was refused, so ask.webcam has no frames. Allow the camera for this page (the camera icon in the address bar) and run the cell again, or bring images with ask.files.';
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NoCamera') {
    return 'No camera was found, so ask.webcam has no frames. Connect a camera and run the cell again, or bring images with ask.files.';
  }
  if (name === 'NotReadableError') return 'The camera is in use by another program or tab. Close it there and run the cell again.';
  return `The camera could not start (${name || 'error'}: ${message}). Run the cell again, or bring images with ask.files.`;
}

@customElement('tailor-ask-webcam')
export class TailorAskWebcam extends LitElement {
  static styles = css`
    :host {
      display: block;
      font: inherit;
    }
    .box {
      border: 1px solid var(--border, #c8ccd2);
      border-radius: 8px;
      padding: 12px;
      background: var(--active-bg, #fafbfc);
    }
    .prompt {
      font-weight: 600;
      margin: 0 0 8px;
    }
    video {
      width: 224px;
      height: 168px;
      background: #222;
      border-radius: 6px;
      object-fit: cover;
    }
    .classes {
      display: grid;
      gap: 8px;
      margin: 8px 0;
    }
    .class {
      display: flex;
      align-items: center;
      gap: 8px;
      flex-wrap: wrap;
    }
    .thumbs img {
      width: 36px;
      height: 36px;
      border-radius: 4px;
      margin-right: 2px;
      vertical-align: middle;
    }
    button {
      font: inherit;
      padding: 4px 12px;
      border-radius: 6px;
      border: 1px solid var(--accent, #2f6fd6);
      background: white;
      color: var(--accent, #2f6fd6);
      cursor: pointer;
      touch-action: none;
      user-select: none;
    }
    button.recording {
      background: #b3261e;
      border-color: #b3261e;
      color: white;
    }
    button.primary {
      background: var(--accent, #2f6fd6);
      color: white;
    }
    button:disabled {
      opacity: 0.5;
      cursor: default;
    }
    .status {
      margin: 6px 0 0;
      min-height: 1.2em;
    }
    .status.problem {
      color: #b3261e;
    }
  `;

  /** The kernel's request (id, prompt, options) from the output. */
  @property({ attribute: false }) request!: AskRequest;
  @consume({ context: inputBrokerContext }) broker?: InputBroker;
  @state() private phase: Phase = 'connecting';
  @state() private status = '';
  @state() private recording?: string;
  @state() private frames = new Map<string, Frame[]>();

  private stream?: MediaStream;
  private timer?: ReturnType<typeof setInterval>;
  private staleTimer?: ReturnType<typeof setTimeout>;
  private readonly canvas = document.createElement('canvas');

  private get classes(): string[] {
    return Array.isArray(this.request.options.classes) ? this.request.options.classes.map(String) : [];
  }
  private get perClass(): number {
    return typeof this.request.options.perClass === 'number' ? this.request.options.perClass : 30;
  }
  private get size(): number {
    return typeof this.request.options.size === 'number' ? this.request.options.size : 224;
  }

  connectedCallback(): void {
    super.connectedCallback();
    if (this.phase !== 'connecting' || this.stream) return;
    const broker = this.broker;
    if (!broker) return this.setStale();
    if (!broker.isWaiting(this.request.id)) this.staleTimer = setTimeout(() => this.setStale(), STALE_AFTER_MS);
    void broker.whenWaiting(this.request.id).then(() => {
      clearTimeout(this.staleTimer);
      if (this.isConnected && (this.phase === 'connecting' || this.phase === 'stale')) void this.startCamera();
    });
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.staleTimer);
    // A re-render may move this element (disconnect, then connect at once): stop only if it stays out.
    queueMicrotask(() => {
      if (!this.isConnected) this.stopCamera();
    });
  }

  private setStale(): void {
    if (this.phase !== 'connecting') return;
    this.phase = 'stale';
    this.status = 'This camera request has ended. Run the cell again to record frames.';
  }

  private async startCamera(): Promise<void> {
    this.phase = 'connecting';
    this.status = 'Starting the camera…';
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error('this browser has no camera access'), { name: 'NoCamera' });
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
    } catch (error) {
      this.fail(cameraProblem(error));
      return;
    }
    if (!this.isConnected) return this.stopCamera();
    this.phase = 'live';
    this.status = `Hold a button to record up to ${this.perClass} frames of that class, then press Done.`;
    await this.updateComplete;
    const video = this.renderRoot.querySelector('video');
    if (video) {
      video.srcObject = this.stream;
      await video.play().catch(() => undefined);
    }
  }

  private stopCamera(): void {
    this.stopRecording();
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = undefined;
    for (const list of this.frames.values()) for (const f of list) URL.revokeObjectURL(f.url);
  }

  /** Replies with an error (the cell raises it) and stops the camera. */
  private fail(reason: string): void {
    this.stopCamera();
    this.phase = 'failed';
    this.status = reason;
    this.broker?.reply(this.request.id, { value: '', error: reason });
  }

  private startRecording(label: string): void {
    if (this.phase !== 'live' || this.recording) return;
    this.recording = label;
    const grab = () => {
      if ((this.frames.get(label)?.length ?? 0) >= this.perClass) return this.stopRecording();
      void this.grabFrame(label);
    };
    grab();
    this.timer = setInterval(grab, FRAME_INTERVAL_MS);
  }

  private stopRecording(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.recording = undefined;
  }

  /** Draws the centre square of the video at `size`×`size` and keeps it as JPEG. */
  private async grabFrame(label: string): Promise<void> {
    const video = this.renderRoot.querySelector('video');
    if (!video || video.videoWidth === 0) return;
    const side = Math.min(video.videoWidth, video.videoHeight);
    this.canvas.width = this.canvas.height = this.size;
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.drawImage(video, (video.videoWidth - side) / 2, (video.videoHeight - side) / 2, side, side, 0, 0, this.size, this.size);
    const blob = await new Promise<Blob | null>((resolve) => this.canvas.toBlob(resolve, 'image/jpeg', 0.9));
    const list = this.frames.get(label) ?? [];
    if (!blob || list.length >= this.perClass) return;
    this.frames = new Map(this.frames).set(label, [...list, { blob, url: URL.createObjectURL(blob) }]);
  }

  private async done(): Promise<void> {
    this.stopRecording();
    this.phase = 'sending';
    this.status = 'Sending the frames to the kernel…';
    const items = [];
    for (const label of this.classes) {
      for (const [i, frame] of (this.frames.get(label) ?? []).entries()) {
        const name = `${label}-${String(i + 1).padStart(3, '0')}.jpg`;
        items.push({ name, path: `${label}/${name}`, type: 'image/jpeg', bytes: await frame.blob.arrayBuffer(), label });
      }
    }
    this.stopCamera();
    const sent = this.broker?.reply(this.request.id, payloadReply(items, 'frames')) ?? false;
    this.phase = sent ? 'done' : 'stale';
    this.status = sent ? `Sent ${items.length} frames to the kernel.` : 'The cell is no longer waiting for frames. Run it again to record.';
  }

  private cancel(): void {
    this.fail('ask.webcam was cancelled in the page: no frames were sent.');
  }

  private onKey(event: KeyboardEvent, label: string, down: boolean): void {
    if (event.key !== ' ' && event.key !== 'Enter') return;
    event.preventDefault();
    event.stopPropagation();
    if (down && !event.repeat) this.startRecording(label);
    else if (!down) this.stopRecording();
  }

  protected render() {
    const live = this.phase === 'live';
    const complete = this.classes.every((c) => (this.frames.get(c)?.length ?? 0) > 0);
    const problem = this.phase === 'failed' || this.phase === 'stale';
    return html`<div class="box" role="group" aria-label=${this.request.prompt || 'Webcam'}>
      <p class="prompt">${this.request.prompt || 'Webcam'}</p>
      ${live || this.phase === 'connecting' ? html`<video muted playsinline aria-label="Camera"></video>` : null}
      <div class="classes">
        ${this.classes.map((label) => {
          const list = this.frames.get(label) ?? [];
          const full = list.length >= this.perClass;
          return html`<div class="class">
            <button
              class=${this.recording === label ? 'recording' : ''}
              ?disabled=${!live || full}
              aria-label=${`Hold to record ${label}`}
              @pointerdown=${(e: PointerEvent) => {
                (e.target as HTMLElement).setPointerCapture?.(e.pointerId);
                this.startRecording(label);
              }}
              @pointerup=${() => this.stopRecording()}
              @pointercancel=${() => this.stopRecording()}
              @lostpointercapture=${() => this.stopRecording()}
              @keydown=${(e: KeyboardEvent) => this.onKey(e, label, true)}
              @keyup=${(e: KeyboardEvent) => this.onKey(e, label, false)}
            >
              Hold to record <b>${label}</b>
            </button>
            <span class="count" aria-label=${`${label} frames`}>${list.length}/${this.perClass}</span>
            <span class="thumbs">${list.slice(-THUMBNAILS).map((f) => html`<img src=${f.url} alt="" />`)}</span>
          </div>`;
        })}
      </div>
      <button class="primary" ?disabled=${!live || !complete} @click=${() => this.done()}>Done</button>
      <button ?disabled=${!live} @click=${() => this.cancel()}>Cancel</button>
      <p class="status ${problem ? 'problem' : ''}" role="status">${this.status}</p>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tailor-ask-webcam': TailorAskWebcam;
  }
}
