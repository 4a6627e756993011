// Copy a text to the clipboard; without clipboard access (plain HTTP on another host) select it for Ctrl+C instead.
import { useState } from 'preact/hooks';
import { Button } from './Button';

export function CopyButton({ text, label, select }: { text: string; label: string; select: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const node = document.querySelector(select);
      if (node) window.getSelection()?.selectAllChildren(node);
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <Button small variant="primary" icon={copied ? 'check' : 'copy'} onClick={() => void copy()} aria-label={label}>
      {copied ? 'Copied' : 'Copy'}
    </Button>
  );
}
