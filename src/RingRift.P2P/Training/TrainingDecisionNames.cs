namespace RingRift.P2P.Training;

/// <summary>The <c>decision</c> values of a configuration's training state (snake_case, as shown by <c>/training/status</c>).</summary>
public static class TrainingDecisionNames
{
    /// <summary>The policy says train and nothing blocks it: the loop enqueues a training.</summary>
    public const string Trigger = "trigger";

    /// <summary>Not enough new games (or not stale enough) yet.</summary>
    public const string Wait = "wait";

    /// <summary>A training of this configuration is pending, claimed or running: never two at once.</summary>
    public const string TrainingRunning = "training_running";

    /// <summary>A trained model has not been evaluated yet: the next training waits for the verdict.</summary>
    public const string Evaluating = "evaluating";

    /// <summary>The last training is more recent than <see cref="TrainingThresholds.MinHoursBetweenTraining"/>.</summary>
    public const string RateLimited = "rate_limited";
}
