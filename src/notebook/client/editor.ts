/**
 * The cell editor: CodeMirror 6 with TypeScript highlighting. Loaded only when the reader starts
 * to edit (a dynamic import from the cell element), never before.
 */
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { Compartment, EditorState, Prec } from "@codemirror/state";
import { indentWithTab } from "@codemirror/commands";
import { unifiedMergeView } from "@codemirror/merge";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { javascript } from "@codemirror/lang-javascript";
import { tags } from "@lezer/highlight";

/** What the cell element needs from an editor. */
export interface CellEditor {
  /** The code as the reader has it now. */
  code(): string;
  /** Replaces the code (Reset, Undo reset, a shared link), as one undoable change. */
  replace(code: string): void;
  /**
   * Shows how the code differs from `original` (the author's), inline, with a button per change
   * to take the author's version or reject it; `null` ends the comparison.
   */
  compare(original: string | null): void;
  focus(): void;
}

/** Options of {@link createEditor}. */
export interface EditorOptions {
  /** The code to start with. */
  doc: string;
  /** Accessible name of the editing area, e.g. "Code of cell xor-train". */
  label: string;
  /** Called after every change the reader makes. */
  onChange(code: string): void;
  /** Shift+Enter (and Ctrl/Cmd+Enter): run the cell. */
  onRun(): void;
}

// Token colours come from CSS variables (styles.css) so light and dark themes both read well.
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.moduleKeyword], color: "var(--nb-tok-keyword)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--nb-tok-string)" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--nb-tok-number)" },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: "var(--nb-tok-comment)" },
  { tag: [tags.typeName, tags.className], color: "var(--nb-tok-type)" },
  {
    tag: [tags.function(tags.variableName), tags.function(tags.propertyName)],
    color: "var(--nb-tok-function)",
  },
  { tag: tags.propertyName, color: "var(--nb-tok-property)" },
  { tag: tags.operator, color: "var(--nb-tok-operator)" },
]);

const theme = EditorView.theme({
  "&": { fontSize: "0.875rem", backgroundColor: "var(--nb-code-bg)", color: "var(--nb-code-fg)" },
  ".cm-content": {
    fontFamily: "var(--__sl-font-mono, ui-monospace, monospace)",
    caretColor: "var(--nb-code-fg)",
  },
  ".cm-gutters": {
    backgroundColor: "var(--nb-code-bg)",
    color: "var(--nb-tok-comment)",
    border: "none",
  },
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "var(--nb-active-line)" },
  "&.cm-focused": { outline: "2px solid var(--sl-color-accent)", outlineOffset: "2px" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--nb-selection) !important",
  },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--nb-code-fg)" },
});

/**
 * Typing over a selection replaces it with exactly the character typed, brackets included: no
 * wrapping the selection in a pair, no closing bracket added. (closeBrackets, in basicSetup, wraps
 * a selection when the key is an opening bracket or quote: a reader who selects `[1, 2]` and types
 * `[` to write a new array gets `[[1, 2]]`, a second closing bracket they did not type.) At a bare
 * cursor closeBrackets works as usual: it adds the closer, and typing that closer steps over it.
 */
const replaceSelectionPlainly = Prec.highest(
  EditorView.inputHandler.of((view, from, to, text) => {
    const { state } = view;
    if (state.selection.ranges.every((range) => range.empty)) return false;
    const config = state.languageDataAt<{ brackets?: string[] }>("closeBrackets", from)[0];
    const opening = config?.brackets ?? ["(", "[", "{", "'", '"'];
    if (!opening.includes(text) || from !== state.selection.main.from || to !== state.selection.main.to) {
      return false;
    }
    view.dispatch(state.replaceSelection(text), { scrollIntoView: true, userEvent: "input.type" });
    return true;
  }),
);

// One hint per editor, referenced by aria-describedby: a unique id for each.
let hints = 0;
const HINT = "Tab indents · Esc then Tab leaves the editor · Shift+Enter runs";
const HINT_ARMED = "Tab now leaves the editor (any other key: back to editing)";

/**
 * Tab indents (Shift+Tab unindents), so the editor would trap a keyboard reader without an exit:
 * CodeMirror's tab-focus mode is it. Escape arms it (CodeMirror's own rule, for 2 s; here until
 * the next other key, a click, or the editor losing focus), and the next Tab or Shift+Tab moves
 * focus out instead of indenting. Ctrl+M (Alt+Shift+M on macOS) turns it on for good. The hint
 * under the editor says so while the editor has focus, and is its description for screen readers.
 */
function tabKeys(host: HTMLElement, hint: HTMLElement, view: () => EditorView): void {
  let armed = false;
  // A number leaves Ctrl+M's lasting mode alone; one millisecond lets a temporary one lapse.
  const disarm = () => {
    if (!armed) return;
    armed = false;
    view().setTabFocusMode(1);
    hint.textContent = HINT;
  };
  host.addEventListener("keydown", (event) => {
    // Bubbling from CodeMirror's content, after its own handlers (which arm the mode for 2 s).
    if (event.key === "Escape") {
      armed = true;
      view().setTabFocusMode(10 * 60_000);
      hint.textContent = HINT_ARMED;
    } else if (!["Tab", "Shift", "Control", "Alt", "Meta"].includes(event.key)) disarm();
  });
  host.addEventListener("pointerdown", disarm);
  host.addEventListener("focusout", (event) => {
    if (!host.contains(event.relatedTarget as Node | null)) disarm();
  });
}

/** Mounts an editor in `parent` and returns the handle the cell element drives. */
export function createEditor(parent: HTMLElement, options: EditorOptions): CellEditor {
  const run = () => {
    options.onRun();
    return true;
  };
  // Changes made by the page (Reset, a shared link) are not the reader's typing.
  let replacing = false;
  const comparing = new Compartment();
  const hint = document.createElement("p");
  hint.className = "nb-editor-hint";
  hint.id = `nb-editor-hint-${++hints}`;
  hint.textContent = HINT;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        // Before the default keymap, so Shift+Enter runs instead of inserting a line.
        Prec.highest(keymap.of([{ key: "Shift-Enter", run }, { key: "Mod-Enter", run }])),
        replaceSelectionPlainly,
        basicSetup,
        keymap.of([indentWithTab]),
        javascript({ typescript: true }),
        syntaxHighlighting(highlight),
        theme,
        comparing.of([]),
        // tabindex: axe asks a scroller (the code wider than a phone) for focusable content, and
        // does not count a contenteditable without it.
        EditorView.contentAttributes.of({
          "aria-label": options.label,
          "aria-describedby": hint.id,
          tabindex: "0",
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !replacing) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  parent.append(hint);
  tabKeys(parent, hint, () => view);
  return {
    code: () => view.state.doc.toString(),
    replace(code) {
      replacing = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
      } finally {
        replacing = false;
      }
    },
    compare(original) {
      // Buttons of our own: clicked (so the keyboard works too), and saying what they do.
      const mergeControls = (type: "accept" | "reject", action: (event: MouseEvent) => void) => {
        const button = document.createElement("button");
        button.type = "button";
        button.name = type;
        button.textContent = type === "accept" ? "Keep mine" : "Take the author's";
        button.addEventListener("click", action);
        return button;
      };
      const extension = original === null ? [] : unifiedMergeView({ original, mergeControls });
      view.dispatch({ effects: comparing.reconfigure(extension) });
    },
    focus: () => view.focus(),
  };
}
