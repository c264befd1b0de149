// Transient messages in a corner: errors (role alert, stay until dismissed) and confirmations.
import { dismissToast, useToasts } from '../state/toasts';

export function Toasts() {
  const toasts = useToasts((state) => state.toasts);
  return (
    <div className="toasts">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
          <span>{toast.text}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
