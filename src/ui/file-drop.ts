import { LitElement, css, html } from 'lit';

/** A labelled file picker (many files) that also accepts files dropped anywhere on the page. Emits `files-chosen`. */
export class FileDrop extends LitElement {
  static override properties = { dragging: { state: true } };
  declare dragging: boolean;

  static override styles = css`
    label { display: inline-block; padding: 0.45rem 0.8rem; border-radius: 6px; background: var(--accent, #ff9f1c); color: #111; font-weight: 600; cursor: pointer; }
    label:focus-within { outline: 2px solid #fff; outline-offset: 2px; }
    input { position: absolute; opacity: 0; width: 1px; height: 1px; }
    .hint { color: var(--muted, #9aa4b2); margin-left: 0.6rem; }
    :host([dragging]) .hint { color: var(--accent, #ff9f1c); }
  `;

  private readonly onDragOver = (e: DragEvent): void => {
    e.preventDefault();
    this.toggleAttribute('dragging', true);
  };
  private readonly onDragLeave = (): void => void this.toggleAttribute('dragging', false);
  private readonly onDrop = (e: DragEvent): void => {
    e.preventDefault();
    this.toggleAttribute('dragging', false);
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (files.length) this.emit(files);
  };

  constructor() {
    super();
    this.dragging = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('dragover', this.onDragOver);
    window.addEventListener('dragleave', this.onDragLeave);
    window.addEventListener('drop', this.onDrop);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('dragover', this.onDragOver);
    window.removeEventListener('dragleave', this.onDragLeave);
    window.removeEventListener('drop', this.onDrop);
    super.disconnectedCallback();
  }

  override render() {
    return html`<label
        >Open maps…
        <input id="file-input" type="file" multiple accept=".nii,.gz,.hdr,.img" @change=${this.onPick} /></label
      ><span class="hint">or drop NIfTI files (.nii, .nii.gz, .hdr + .img) anywhere</span>`;
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = '';
    if (files.length) this.emit(files);
  }

  private emit(files: File[]): void {
    this.dispatchEvent(new CustomEvent<File[]>('files-chosen', { detail: files, bubbles: true, composed: true }));
  }
}
customElements.define('sl-file-drop', FileDrop);
