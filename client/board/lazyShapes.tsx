/**
 * Shapes outside the view are not drawn until they first come into it. tldraw mounts every
 * shape's component on the page and only hides those out of view (`display: none`), so opening a
 * board of 2,000 shapes renders 2,000 components, rich-text labels included, although a screen
 * shows a few hundred. This wrapper keeps tldraw's own container for every shape (its position,
 * size, culling and hit-testing are unchanged) and leaves its content out while the shape has
 * never been in view, unless it is being edited or is selected. Once drawn, a shape stays drawn,
 * so panning back and forth costs nothing more. Pictures of the board (`editor.toImage`) draw
 * every shape anew, mounted or not.
 */
import { forwardRef, useState } from 'react'
import { DefaultShapeWrapper, type TLComponents, type TLShapeWrapperProps, useEditor, useValue } from '@tldraw/tldraw'

const LazyShapeWrapper = forwardRef<HTMLDivElement, TLShapeWrapperProps>(function LazyShapeWrapper(props, ref) {
  const editor = useEditor()
  const id = props.shape.id
  const [drawn, setDrawn] = useState(false)
  const outOfView = useValue(
    'shape out of view',
    // Once drawn, nothing more to watch: the camera's every move no longer reaches this shape.
    () =>
      !drawn &&
      editor.getNotVisibleShapes().has(id) &&
      editor.getEditingShapeId() !== id &&
      !editor.getSelectedShapeIds().includes(id),
    [editor, id, drawn],
  )
  if (!outOfView && !drawn) setDrawn(true)
  return (
    <DefaultShapeWrapper ref={ref} {...props}>
      {drawn ? props.children : null}
    </DefaultShapeWrapper>
  )
})

/** tldraw's component overrides every board of the app shares. */
export const BOARD_COMPONENTS: TLComponents = { ShapeWrapper: LazyShapeWrapper }
