// @dimforge/rapier3d: a box dropped on the ground, stepped for one second, then a ray cast.
import RAPIER from "@dimforge/rapier3d";

console.log("version", RAPIER.version());
const world = new RAPIER.World({ x: 0.0, y: -9.81, z: 0.0 });
world.createCollider(RAPIER.ColliderDesc.cuboid(10.0, 0.1, 10.0));
const body = world.createRigidBody(RAPIER.RigidBodyDesc.dynamic().setTranslation(0.0, 3.0, 0.0));
world.createCollider(RAPIER.ColliderDesc.cuboid(0.5, 0.5, 0.5), body);
for (let i = 0; i < 60; i++) world.step();
const p = body.translation();
console.log("after 60 steps", p.x.toFixed(4), p.y.toFixed(4), p.z.toFixed(4), "sleeping", body.isSleeping());
const hit = world.castRay(new RAPIER.Ray({ x: 0, y: 5, z: 0 }, { x: 0, y: -1, z: 0 }), 10, true);
console.log("ray hits at", hit && hit.timeOfImpact.toFixed(4));
world.free();
