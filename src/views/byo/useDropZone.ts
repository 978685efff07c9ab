import { useState, type DragEvent } from 'react';
import { droppedFiles, hasFiles, type DroppedFile } from './droppedFiles';

/**
 * An element that takes dropped files and folders (walked, paths kept) for `onFiles`; a drop on it
 * goes no further, so the page's own drop target (SAE files) does not take it too. `dragging` is
 * true while files are held over it.
 */
export function useDropZone(onFiles: (files: DroppedFile[]) => void) {
  const [dragging, setDragging] = useState(false);
  const handlers = {
    onDragOver(e: DragEvent) {
      if (!hasFiles(e.dataTransfer)) return;
      e.preventDefault();
      e.stopPropagation();
      setDragging(true);
    },
    onDragLeave() {
      setDragging(false);
    },
    onDrop(e: DragEvent) {
      if (!hasFiles(e.dataTransfer)) return;
      e.preventDefault();
      e.stopPropagation();
      setDragging(false);
      void droppedFiles(e.dataTransfer).then(onFiles);
    },
  };
  return { dragging, handlers };
}
