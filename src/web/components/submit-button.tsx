import { Button, type ButtonProps } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * The submit button of a form. Pressing it does not take focus away from the field being edited: a
 * field shows its error when left, and that message would push the button down between press and
 * release, losing the click. The form validates everything on submit anyway.
 */
export function SubmitButton({ children, ...props }: ButtonProps & { children: ReactNode }) {
  return (
    <Button type="submit" {...props} onMouseDown={(e) => e.preventDefault()}>
      {children}
    </Button>
  );
}
