/** Reports every document change of a cell editor as the full new source (the model never holds the view). */
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';

export function sourceSync(onChange: (source: string) => void): Extension {
  return EditorView.updateListener.of((update) => {
    if (update.docChanged) onChange(update.state.doc.toString());
  });
}
