using System.Globalization;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Bench;

/// <summary>
/// Optional overrides of a <see cref="SwimConfig"/> preset for parameter sweeps:
/// <c>--period-ms</c>, <c>--timeout-ms</c>, <c>--floor-s</c>, <c>--suspicion-mult</c>,
/// <c>--retransmit-mult</c>, <c>--final-probe true|false</c>, <c>--eager-suspects true|false</c>,
/// <c>--death-answers true|false</c>, <c>--stale-evidence true|false</c>, <c>--tcp-fallback true|false</c>. The result is validated, so a bad
/// combination fails with the option named.
/// </summary>
public static class SwimConfigArgs
{
    public static SwimConfig Apply(SwimConfig preset, string[] args)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(args);
        SwimConfig config = preset;
        if (Number(args, "--period-ms") is { } period)
        {
            config = config with { ProbeInterval = TimeSpan.FromMilliseconds(period) };
        }

        if (Number(args, "--timeout-ms") is { } timeout)
        {
            config = config with { ProbeTimeout = TimeSpan.FromMilliseconds(timeout) };
        }

        if (Number(args, "--floor-s") is { } floor)
        {
            config = config with { SuspicionFloor = TimeSpan.FromSeconds(floor) };
        }

        if (Number(args, "--suspicion-mult") is { } suspicionMult)
        {
            config = config with { SuspicionMult = suspicionMult };
        }

        if (Number(args, "--retransmit-mult") is { } retransmitMult)
        {
            config = config with { RetransmitMult = (int)retransmitMult };
        }

        if (Boolean(args, "--final-probe") is { } finalProbe)
        {
            config = config with { FinalProbeBeforeDead = finalProbe };
        }

        if (Boolean(args, "--eager-suspects") is { } eager)
        {
            config = config with { EagerSuspectProbes = eager };
        }

        if (Boolean(args, "--death-answers") is { } deathAnswers)
        {
            config = config with { AnswerDeathToLaggards = deathAnswers };
        }

        if (Boolean(args, "--stale-evidence") is { } staleEvidence)
        {
            config = config with { StaleAccusationsAsEvidence = staleEvidence };
        }

        if (Boolean(args, "--tcp-fallback") is { } tcpFallback)
        {
            config = config with { TcpFallback = tcpFallback };
        }

        config.Validate();
        return config;
    }

    /// <summary>The settings a sweep varies, for the JSON output.</summary>
    public static object Describe(SwimConfig c) => new
    {
        period_ms = c.ProbeInterval.TotalMilliseconds,
        timeout_ms = c.ProbeTimeout.TotalMilliseconds,
        floor_s = c.SuspicionFloor.TotalSeconds,
        suspicion_mult = c.SuspicionMult,
        retransmit_mult = c.RetransmitMult,
        final_probe = c.FinalProbeBeforeDead,
        eager_suspects = c.EagerSuspectProbes,
        death_answers = c.AnswerDeathToLaggards,
        stale_evidence = c.StaleAccusationsAsEvidence,
        tcp_fallback = c.TcpFallback,
    };

    private static string? Value(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return null;
        }

        return i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value.");
    }

    private static bool? Boolean(string[] args, string name)
    {
        if (Value(args, name) is not { } text)
        {
            return null;
        }

        return bool.TryParse(text, out bool value)
            ? value
            : throw new ArgumentException($"{name} is '{text}'; allowed: true, false.");
    }

    private static double? Number(string[] args, string name)
    {
        if (Value(args, name) is not { } text)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"{name} is '{text}'; allowed: a number.");
    }
}
