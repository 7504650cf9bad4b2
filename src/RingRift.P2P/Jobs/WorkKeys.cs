namespace RingRift.P2P.Jobs;

/// <summary>
/// JSON keys shared by the job runner, the training loop, dispatch and data sync: what a work
/// item's <c>config</c> carries in, and what a job's <c>result</c> carries out.
/// </summary>
public static class WorkKeys
{
    // config (in)
    public const string BoardType = "board_type";
    public const string NumPlayers = "num_players";
    /// <summary>Self-play: games to play.</summary>
    public const string Games = "games";
    /// <summary>Evaluation: the candidate model (data-dir relative); training: the model to start from, if any.</summary>
    public const string ModelPath = "model_path";
    /// <summary>Evaluation: the current champion to play against (data-dir relative), absent for the first model.</summary>
    public const string BaselineModelPath = "baseline_model_path";
    /// <summary>Evaluation: the training work item that produced the candidate.</summary>
    public const string TrainingWorkId = "training_work_id";

    // result (out)
    /// <summary>Self-play: games written.</summary>
    public const string GamesCompleted = "games_completed";
    /// <summary>Self-play: the games file written, data-dir relative (under games/&lt;config&gt;/).</summary>
    public const string GamesFile = "games_file";
    /// <summary>Training: games the model was trained on.</summary>
    public const string GamesUsed = "games_used";
    /// <summary>Evaluation: the candidate's Elo.</summary>
    public const string Elo = "elo";
    /// <summary>Any job: sha256 (hex) of the file it produced, when the runner hashed it.</summary>
    public const string Sha256 = "sha256";

    // one line of job output (JSON lines on stdout)
    public const string Progress = "progress";
    public const string Result = "result";
}
