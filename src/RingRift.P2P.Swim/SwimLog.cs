using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Swim;

/// <summary>Source-generated log messages of <see cref="SwimNode"/>; event ids 4000–4099.</summary>
internal static partial class SwimLog
{
    [LoggerMessage(4000, LogLevel.Information, "SWIM {Node} started at {Endpoint} with {Seeds} seed(s)")]
    public static partial void Started(ILogger logger, string node, string endpoint, int seeds);

    [LoggerMessage(4001, LogLevel.Information, "SWIM {Node} stopped")]
    public static partial void Stopped(ILogger logger, string node);

    [LoggerMessage(4002, LogLevel.Information, "SWIM {Node} leaving at incarnation {Incarnation}")]
    public static partial void Leaving(ILogger logger, string node, ulong incarnation);

    [LoggerMessage(4006, LogLevel.Information, "SWIM {Node} left: {Confirmed} of {Told} peer(s) told directly acknowledged the leave")]
    public static partial void LeaveConfirmed(ILogger logger, string node, int confirmed, int told);

    [LoggerMessage(4003, LogLevel.Debug, "SWIM {Node} join attempt {Attempt} via {Seed}; next in {Backoff}")]
    public static partial void JoinAttempt(ILogger logger, string node, string seed, int attempt, TimeSpan backoff);

    [LoggerMessage(4004, LogLevel.Information, "SWIM {Node} joined via {Seed}; {Members} member(s) learnt")]
    public static partial void Joined(ILogger logger, string node, string seed, int members);

    [LoggerMessage(4005, LogLevel.Debug, "SWIM {Node} push-pull with {Peer} failed or was refused")]
    public static partial void PushPullFailed(ILogger logger, string node, string peer);

    [LoggerMessage(4010, LogLevel.Information, "SWIM {Node} sees {Member} {OldState} -> {NewState} (incarnation {Incarnation})")]
    public static partial void StateChanged(ILogger logger, string node, string member, string oldState, string newState, ulong incarnation);

    [LoggerMessage(4020, LogLevel.Debug, "SWIM {Node} no direct ack from {Target} (seq {SeqNo}); probing indirectly")]
    public static partial void DirectProbeMissed(ILogger logger, string node, string target, uint seqNo);

    [LoggerMessage(4021, LogLevel.Debug, "SWIM {Node} probe of {Target} failed ({Nacks}/{ExpectedNacks} nacks); awareness {Awareness}")]
    public static partial void ProbeFailed(ILogger logger, string node, string target, int expectedNacks, int nacks, int awareness);

    [LoggerMessage(4022, LogLevel.Debug, "SWIM {Node} probe of {Target} inconclusive: own timers ran late (stalled); awareness {Awareness}")]
    public static partial void ProbeInconclusive(ILogger logger, string node, string target, int awareness);

    [LoggerMessage(4030, LogLevel.Information, "SWIM {Node} suspects {Member} (by {From}, incarnation {Incarnation}); timeout {Min}..{Max}, k = {K}")]
    public static partial void Suspected(ILogger logger, string node, string member, string from, ulong incarnation, TimeSpan min, TimeSpan max, int k);

    [LoggerMessage(4031, LogLevel.Debug, "SWIM {Node} suspicion of {Member} confirmed by {From} ({Confirmations} so far)")]
    public static partial void Confirmed(ILogger logger, string node, string member, string from, int confirmations);

    [LoggerMessage(4032, LogLevel.Warning, "SWIM {Node} refuted an accusation with incarnation {Incarnation}: {Reason}")]
    public static partial void Refuted(ILogger logger, string node, ulong incarnation, string reason);

    [LoggerMessage(4033, LogLevel.Warning, "SWIM {Node} ignored a conflicting alive for {Member}: {Reason}")]
    public static partial void Conflict(ILogger logger, string node, string member, string reason);

    [LoggerMessage(4034, LogLevel.Debug, "SWIM {Node} probes {Member} next: {From} accused it at incarnation {Stale}, older than our {Known}")]
    public static partial void StaleAccusationProbe(ILogger logger, string node, string member, string from, ulong stale, ulong known);

    [LoggerMessage(4035, LogLevel.Debug, "SWIM {Node} suspicion of {Member} confirmed by {From}'s death at older incarnation {Stale} ({Confirmations} so far)")]
    public static partial void StaleDeathConfirmed(ILogger logger, string node, string member, string from, ulong stale, int confirmations);

    [LoggerMessage(4040, LogLevel.Debug, "SWIM {Node} refused a request from {From}: forged, malformed or unexpected")]
    public static partial void RequestRejected(ILogger logger, string node, string from);

    [LoggerMessage(4090, LogLevel.Error, "SWIM {Node} callback failed")]
    public static partial void CallbackFailed(ILogger logger, string node, Exception exception);
}
