using RingRift.P2P.Config;
using RingRift.P2P.Node.Jobs;

namespace RingRift.P2P.Node.Tests.Config;

/// <summary>Reading a jobs file for <c>config check</c>: every bad key with its line; the first is the one start-up throws.</summary>
public sealed class JobsFileCollectTests
{
    private const string ManyErrors = """
        slots:
          per_gpu: 0
          cpu: two
        jobs:
          selfplay:
            command: [python3, selfplay.py]
            timeout_seconds: soon
            env:
              1BAD: x
          training:
            comand: [python3, train.py]
          nonsense type: {command: [x]}
        webhooks:
          - url: ftp://example.test/hook
          - events: [job_done]
        training:
          min_games: -5
          selfplay_configs: [hex8_2p, nope]
        job: {}
        """;

    [Fact]
    public void Collecting_ReportsEveryBadKey_WithItsLine()
    {
        var problems = ConfigProblems.Collect();

        var file = JobsFile.Parse(ManyErrors, "jobs.yaml", "/etc/ringrift", problems);

        var errors = problems.Errors.Cast<JobsFileException>().Select(e => (e.Line, e.Key)).ToArray();
        Assert.Equal([
            (2, "slots.per_gpu"), (3, "slots.cpu"), (7, "jobs.selfplay.timeout_seconds"), (9, "jobs.selfplay.env.1BAD"),
            (11, "jobs.training.comand"), (10, "jobs.training.command"), (12, "jobs.nonsense type"),
            (14, "webhooks[0].url"), (15, "webhooks[1].events"), (15, "webhooks[1].url"),
            (17, "training.min_games"), (18, "training.selfplay_configs"), (19, "job"),
        ], errors);
        Assert.Contains("did you mean 'command'?", problems.Errors[4].Message);
        Assert.Contains("did you mean 'jobs'?", problems.Errors[12].Message);
        Assert.Equal(["python3", "selfplay.py"], file.Jobs[RingRift.P2P.Models.JobType.Selfplay].Command);
    }

    [Fact]
    public void Throwing_ThrowsTheFirstErrorTheCollectorReports()
    {
        var problems = ConfigProblems.Collect();
        JobsFile.Parse(ManyErrors, "jobs.yaml", "/etc/ringrift", problems);

        var thrown = Assert.Throws<JobsFileException>(() => JobsFile.Parse(ManyErrors, "jobs.yaml", "/etc/ringrift"));

        Assert.Equal(problems.Errors[0].Message, thrown.Message);
    }

    [Fact]
    public void ACommandGivenButBad_IsReportedOnce_NotAlsoAsMissing()
    {
        var problems = ConfigProblems.Collect();

        JobsFile.Parse("jobs:\n  selfplay:\n    command: []\n", "jobs.yaml", "/etc/ringrift", problems);

        Assert.Equal("jobs.selfplay.command", ((JobsFileException)Assert.Single(problems.Errors)).Key);
    }
}
