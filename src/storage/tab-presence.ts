/**
 * Notices when the same notebook is open in another tab of this browser
 * (BroadcastChannel), so neither tab silently overwrites the other's autosave.
 */
export class TabPresence {
  private readonly channel?: BroadcastChannel;
  private readonly tabId = crypto.randomUUID();
  private key?: string;

  /** `onOther(true)` when another tab has the same notebook open. */
  constructor(private readonly onOther: (otherTabOpen: boolean) => void) {
    if (typeof BroadcastChannel !== 'function') return;
    this.channel = new BroadcastChannel('tailor-notebooks');
    this.channel.onmessage = (event: MessageEvent) => {
      const { type, key, tabId } = event.data ?? {};
      if (!this.key || key !== this.key || tabId === this.tabId) return;
      if (type === 'hello') {
        this.onOther(true);
        this.channel?.postMessage({ type: 'here', key, tabId: this.tabId });
      } else if (type === 'here') this.onOther(true);
    };
  }

  /** Announces that this tab now shows the notebook `key`. */
  announce(key: string): void {
    this.key = key;
    this.channel?.postMessage({ type: 'hello', key, tabId: this.tabId });
  }

  close(): void {
    this.channel?.close();
  }
}
