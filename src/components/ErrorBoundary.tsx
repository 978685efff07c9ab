import { Component, type ErrorInfo, type ReactNode } from 'react';
import { toAppError } from '../state/appError';
import { ErrorCard } from './ErrorCard';

export interface ErrorBoundaryProps {
  /** what the children show, for the card's title, e.g. "this view" */
  what: string;
  /** a change of this value (e.g. the route) clears the error */
  resetKey?: unknown;
  children: ReactNode;
}

interface State {
  error: unknown;
  resetKey: unknown;
}

/**
 * Keeps a bug in one view from blanking the whole page: the header, the navigation and the stores
 * (the typed text included) survive, and the reader sees what failed.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, State> {
  override state: State = { error: null, resetKey: undefined };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: ErrorBoundaryProps, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { resetKey: props.resetKey, error: null } : null;
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`${this.props.what} failed to render:`, error, info.componentStack);
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <ErrorCard
        error={toAppError(`Something went wrong in ${this.props.what}`, this.state.error)}
        hint="Your text is kept. This is a bug in the explorer; trying again or reloading the page usually helps."
        onRetry={() => this.setState({ error: null })}
      />
    );
  }
}
