/** The keys that move the crosshair of a pane, by the plane that has them. */

export type Plane = 'axial' | 'coronal' | 'sagittal';

/**
 * One voxel per key in RAS voxels (x right, y anterior, z superior), by the plane that has the keys:
 * the arrows move within it as it is drawn (up is anterior in axial, superior in coronal and
 * sagittal; NiiVue's sagittal has the nose on the right), Page Up/Down step along its normal.
 */
export const KEY_STEPS: Record<Plane, Record<string, [number, number, number]>> = {
  axial: {
    ArrowLeft: [-1, 0, 0],
    ArrowRight: [1, 0, 0],
    ArrowUp: [0, 1, 0],
    ArrowDown: [0, -1, 0],
    PageUp: [0, 0, 1],
    PageDown: [0, 0, -1],
  },
  coronal: {
    ArrowLeft: [-1, 0, 0],
    ArrowRight: [1, 0, 0],
    ArrowUp: [0, 0, 1],
    ArrowDown: [0, 0, -1],
    PageUp: [0, 1, 0],
    PageDown: [0, -1, 0],
  },
  sagittal: {
    ArrowLeft: [0, -1, 0],
    ArrowRight: [0, 1, 0],
    ArrowUp: [0, 0, 1],
    ArrowDown: [0, 0, -1],
    PageUp: [1, 0, 0],
    PageDown: [-1, 0, 0],
  },
};
