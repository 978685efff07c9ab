import { useState, type FormEvent } from 'react';

export interface LinkFormProps {
  /** what the box holds at first */
  initial?: string;
  /** called with the trimmed text when it is submitted (never empty) */
  onSubmit(text: string): void;
  /** the box's accessible name */
  label: string;
  placeholder: string;
  buttonLabel: string;
  inputTestId: string;
  buttonTestId: string;
  /** 'url' where only a web address fits; 'text' where a name fits too (a Hub repo id) */
  type?: 'url' | 'text';
  disabled?: boolean;
  /** the row's class, beside `link-form` */
  className?: string;
}

/** A box for a link (or name) and the button that takes it; what was typed stays after a submit, to fix or reuse. */
export function LinkForm({ initial = '', onSubmit, label, placeholder, buttonLabel, inputTestId, buttonTestId, type = 'url', disabled = false, className = '' }: LinkFormProps) {
  const [text, setText] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() !== '') onSubmit(text.trim());
  };
  return (
    <form className={`link-form ${className}`.trim()} onSubmit={submit}>
      <input className="input" data-testid={inputTestId} type={type} placeholder={placeholder} aria-label={label} value={text} onChange={(e) => setText(e.target.value)} />
      <button className="button" type="submit" data-testid={buttonTestId} disabled={disabled || text.trim() === ''}>
        {buttonLabel}
      </button>
    </form>
  );
}
