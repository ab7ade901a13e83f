import { Popconfirm, type PopconfirmProps } from 'antd';

/**
 * A Popconfirm that moves the focus onto its confirm button when it opens. Antd leaves the focus on the trigger,
 * while the popup lives at the end of the document: a keyboard user could neither reach nor answer it. Enter
 * confirms; the popup is unmounted when closed so the next opening focuses again.
 */
export function Confirm(props: PopconfirmProps) {
  return <Popconfirm destroyOnHidden {...props} okButtonProps={{ autoFocus: true, ...props.okButtonProps }} />;
}
