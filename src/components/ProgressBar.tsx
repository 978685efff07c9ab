export interface ProgressBarProps {
  /** 0…1; null draws an indeterminate bar (size unknown) */
  fraction: number | null;
  /** accessible name */
  label: string;
}

export function ProgressBar({ fraction, label }: ProgressBarProps) {
  const known = fraction !== null;
  const percent = known ? Math.round(Math.max(0, Math.min(1, fraction)) * 100) : undefined;
  return (
    <div
      className={`progress${known ? '' : ' progress--indeterminate'}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
    >
      <div className="progress__fill" style={known ? { width: `${percent}%` } : undefined} />
    </div>
  );
}
