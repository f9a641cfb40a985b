// Its own module so that the toasts' container (and its transitions) is a separate chunk: the shell only needs
// the `notifications` store to show a toast, and the container renders whatever was shown before it arrived.
export { Notifications } from '@mantine/notifications';
