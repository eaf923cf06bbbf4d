import type { Follow } from './useFollow.ts'

/** Tells a person whose view they are following, and lets them stop. */
export function FollowBanner({ follow }: { follow: Follow }) {
  if (!follow.target) return null
  return (
    <div className="follow-banner" role="status" data-testid="follow-banner">
      {follow.summoned ? `${follow.target.name} brought everyone to their view. ` : ''}
      Following {follow.target.name}
      <button type="button" className="button small" onClick={follow.stop}>
        Stop following
      </button>
    </div>
  )
}
