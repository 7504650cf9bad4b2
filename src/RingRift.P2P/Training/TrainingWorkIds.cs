using System.Globalization;
using RingRift.P2P.Jobs;

namespace RingRift.P2P.Training;

/// <summary>
/// The deterministic work ids the training loop enqueues under. Two leaders (or a retried tick)
/// that see the same queue choose the same id, so the queue's duplicate check stops a second copy.
/// </summary>
public static class TrainingWorkIds
{
    /// <summary><c>train-&lt;config&gt;-&lt;n&gt;</c>, n = training items of the config ever + 1.</summary>
    public static string Training(BoardConfig config, int n) => Numbered("train", config, n);

    /// <summary><c>eval-&lt;training work id&gt;</c>: one evaluation per trained model.</summary>
    public static string Evaluation(string trainingWorkId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trainingWorkId);
        return "eval-" + trainingWorkId;
    }

    /// <summary><c>selfplay-&lt;config&gt;-&lt;n&gt;</c>, n = self-play items of the config ever + 1 (+ 2, … for a batch).</summary>
    public static string Selfplay(BoardConfig config, int n) => Numbered("selfplay", config, n);

    private static string Numbered(string prefix, BoardConfig config, int n)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (n < 1)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"n must be at least 1, got {n}");
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}-{config.Key}-{n}");
    }
}
