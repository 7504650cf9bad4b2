using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Swim;

/// <summary>Source-generated log messages of <see cref="SwimMembershipManager"/>; event ids 4200–4219.</summary>
internal static partial class SwimManagerLog
{
    [LoggerMessage(4200, LogLevel.Information, "SWIM membership for {Node} bound {Bound}, advertising {Advertised}, {Seeds} seed(s), incarnation {Incarnation}")]
    public static partial void Started(ILogger logger, string node, string bound, string advertised, int seeds, ulong incarnation);

    [LoggerMessage(4201, LogLevel.Error, "SWIM membership for {Node} could not start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string node, string reason);

    [LoggerMessage(4202, LogLevel.Warning, "SWIM seed not resolved: {Seed}")]
    public static partial void SeedUnresolved(ILogger logger, string seed);

    [LoggerMessage(4203, LogLevel.Information, "SWIM membership for {Node} left the cluster and stopped")]
    public static partial void Stopped(ILogger logger, string node);
}
