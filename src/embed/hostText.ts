/**
 * The text an embed was given — its `text=` parameter, then each host's `set-text` — for views that
 * keep their own text box (the feature page's test text). The prompt view's text is the prompt store's.
 */
import { create } from 'zustand';

export const useHostText = create<{ text: string | null }>()(() => ({ text: null }));
