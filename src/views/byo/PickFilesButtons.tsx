import { pickedFiles, type DroppedFile } from './droppedFiles';

export interface PickFilesButtonsProps {
  onFiles(files: DroppedFile[]): void;
  disabled?: boolean;
  /** the inputs' test ids are `<testIdPrefix>-file-input` and `<testIdPrefix>-folder-input` */
  testIdPrefix: string;
}

/** "Pick files…" and "Pick a folder…": the keyboard's and the touch screen's way to give what could be dropped. */
export function PickFilesButtons({ onFiles, disabled = false, testIdPrefix }: PickFilesButtonsProps) {
  const picked = (e: React.ChangeEvent<HTMLInputElement>) => {
    onFiles(pickedFiles(e.target.files ?? new DataTransfer().files));
    // Picking the same files again must fire again.
    e.target.value = '';
  };
  return (
    <>
      <label className="button button--file">
        Pick files…
        <input type="file" multiple className="visually-hidden" data-testid={`${testIdPrefix}-file-input`} disabled={disabled} onChange={picked} />
      </label>
      <label className="button button--file">
        Pick a folder…
        <input
          // React does not know webkitdirectory: set on the element, it makes the picker choose a folder.
          ref={(el) => el?.setAttribute('webkitdirectory', '')}
          type="file"
          className="visually-hidden"
          data-testid={`${testIdPrefix}-folder-input`}
          disabled={disabled}
          onChange={picked}
        />
      </label>
    </>
  );
}
