using RingRift.P2P.Models;
using RingRift.P2P.Node.Jobs;

namespace RingRift.P2P.Node.Tests.Jobs;

public sealed class JobsFileTests
{
    private const string BaseDir = "/etc/ringrift";

    private static JobsFile Parse(string yaml) => JobsFile.Parse(yaml, "jobs.yaml", BaseDir);

    [Fact]
    public void GoodFile_ParsesEverySetting()
    {
        var file = Parse("""
            slots:
              per_gpu: 2
              cpu: 3
            grace_seconds: 2.5
            jobs:
              selfplay:
                command: ["python3", "selfplay.py", "--board", "{board_type}", "--out", "{data_dir}/games/{config}/{job_id}.jsonl"]
                env: {OMP_NUM_THREADS: "4", MODE: fast}
                working_dir: /opt/ringrift
                timeout_seconds: 3600
              training:
                command: python3 train.py --games {games}
                working_dir: scripts
              sync:
                command: ["/bin/true"]
            """);

        Assert.Equal(2, file.PerGpu);
        Assert.Equal(3, file.CpuSlots);
        Assert.Equal(TimeSpan.FromSeconds(2.5), file.Grace);
        Assert.Equal([JobType.Selfplay, JobType.Training, JobType.Sync], file.Capabilities);
        var selfplay = file.Jobs[JobType.Selfplay];
        Assert.Equal(["python3", "selfplay.py", "--board", "{board_type}", "--out", "{data_dir}/games/{config}/{job_id}.jsonl"], selfplay.Command);
        Assert.Equal("4", selfplay.Env["OMP_NUM_THREADS"]);
        Assert.Equal("fast", selfplay.Env["MODE"]);
        Assert.Equal("/opt/ringrift", selfplay.WorkingDir);
        Assert.Equal(TimeSpan.FromHours(1), selfplay.Timeout);
        var training = file.Jobs[JobType.Training];
        Assert.Equal(["python3", "train.py", "--games", "{games}"], training.Command); // a plain string splits on whitespace
        Assert.Equal("/etc/ringrift/scripts", training.WorkingDir); // relative to the jobs file
        Assert.Null(training.Timeout);
        Assert.Equal(BaseDir, file.Jobs[JobType.Sync].WorkingDir); // default: the jobs file's folder
    }

    [Fact]
    public void Any_work_type_name_is_a_job_and_slots_says_which_pool_it_takes()
    {
        var file = JobsFile.Parse("""
            jobs:
              gpu_cmaes:
                command: ["python3", "cmaes.py", "--gpu", "{gpu}"]
              cpu_cmaes:
                command: ["python3", "cmaes.py"]
                slots: cpu
              selfplay:
                command: ["python3", "selfplay.py"]
              sync:
                command: ["/bin/true"]
            """, "jobs.yaml", "/etc/ringrift");

        Assert.Equal(["selfplay", "sync", "cpu_cmaes", "gpu_cmaes"], file.Capabilities.Select(t => t.Name));
        Assert.Equal([JobType.Parse("cpu_cmaes")], file.CpuJobTypes);
        Assert.True(file.Jobs[JobType.Sync].CpuSlot);
        Assert.False(file.Jobs[JobType.Parse("gpu_cmaes")].CpuSlot);
    }

    [Fact]
    public void Defaults_OneSlotPerGpu_TwoCpuSlots_TenSecondGrace()
    {
        var file = Parse("jobs:\n  sync:\n    command: [rsync]\n");
        Assert.Equal(1, file.PerGpu);
        Assert.Equal(2, file.CpuSlots);
        Assert.Equal(TimeSpan.FromSeconds(10), file.Grace);
        Assert.Equal([JobType.Sync], file.Capabilities);
    }

    [Fact]
    public void EmptyFile_DefinesNoJobs()
    {
        Assert.Empty(Parse("").Capabilities);
        Assert.Empty(Parse("# nothing yet\n").Jobs);
    }

    [Theory]
    [InlineData("jobs:\n  selfplay:\n    command: [a]\n  gpu-cmaes:\n    command: [b]\n", 4, "jobs.gpu-cmaes", "not a work type name: expected a name of 1-64 lower-case letters")]
    [InlineData("jobs:\n  Gauntlet:\n    command: [a]\n", 2, "jobs.Gauntlet", "not a work type name")]
    [InlineData("jobs:\n  gauntlet:\n    command: [a]\n    slots: tpu\n", 4, "jobs.gauntlet.slots", "expected gpu or cpu, got 'tpu'")]
    [InlineData("jobs:\n  sync:\n    command: [a]\n    slots: gpu\n", 4, "jobs.sync.slots", "sync jobs always take a CPU slot")]
    [InlineData("jobs:\n  selfplay:\n    env: {A: b}\n", 2, "jobs.selfplay.command", "missing")]
    [InlineData("jobs:\n  selfplay:\n", 2, "jobs.selfplay", "expected a mapping")]
    [InlineData("jobs:\n  selfplay:\n    command: {a: 1}\n", 3, "jobs.selfplay.command", "expected a list of program and arguments, got a mapping")]
    [InlineData("jobs:\n  selfplay:\n    command: []\n", 3, "jobs.selfplay.command", "empty list")]
    [InlineData("jobs:\n  selfplay:\n    command:\n      - python3\n      - {x: 1}\n", 5, "jobs.selfplay.command[1]", "expected a string argument, got a mapping")]
    [InlineData("jobs:\n  selfplay:\n    command: python3 \"my script.py\"\n", 3, "jobs.selfplay.command", "quotes")]
    [InlineData("jobs:\n  selfplay:\n    command: [a]\n    timeout_seconds: soon\n", 4, "jobs.selfplay.timeout_seconds", "expected a number greater than 0 and at most 604800, got 'soon'")]
    [InlineData("jobs:\n  selfplay:\n    command: [a]\n    timeout_seconds: 0\n", 4, "jobs.selfplay.timeout_seconds", "got '0'")]
    [InlineData("jobs:\n  selfplay:\n    command: [a]\n    env: [A]\n", 4, "jobs.selfplay.env", "expected a mapping of variable name to value, got a list")]
    [InlineData("jobs:\n  selfplay:\n    command: [a]\n    env:\n      1BAD: x\n", 5, "jobs.selfplay.env.1BAD", "variable names")]
    [InlineData("jobs:\n  selfplay:\n    command: [a]\n    env:\n      A: [1]\n", 5, "jobs.selfplay.env.A", "expected a string value, got a list")]
    [InlineData("jobs:\n  selfplay:\n    command: [a]\n    working_dir: [x]\n", 4, "jobs.selfplay.working_dir", "expected a string, got a list")]
    [InlineData("jobs:\n  selfplay:\n    comand: [a]\n", 3, "jobs.selfplay.comand", "unknown key; allowed: command, env, working_dir, timeout_seconds, slots")]
    [InlineData("slots:\n  per_gpu: 0\n", 2, "slots.per_gpu", "expected an integer from 1 to 64, got '0'")]
    [InlineData("slots:\n  cpu: two\n", 2, "slots.cpu", "expected an integer from 0 to 1024, got 'two'")]
    [InlineData("slots:\n  gpu: 1\n", 2, "slots.gpu", "unknown key; allowed: per_gpu, cpu")]
    [InlineData("slots: 4\n", 1, "slots", "expected a mapping with per_gpu and cpu")]
    [InlineData("grace_seconds: -1\n", 1, "grace_seconds", "expected a number from 0 to 3600, got '-1'")]
    [InlineData("jobs: [selfplay]\n", 1, "jobs", "expected a mapping of job type")]
    [InlineData("slots: {cpu: 1}\njob:\n  selfplay: {}\n", 2, "job", "unknown key; allowed: slots, grace_seconds, jobs")]
    [InlineData("- selfplay\n", 1, "(root)", "expected a mapping")]
    public void BadValue_ErrorNamesFileLineAndKey(string yaml, int line, string key, string problem)
    {
        var error = Assert.Throws<JobsFileException>(() => Parse(yaml));
        Assert.Equal("jobs.yaml", error.SourceName);
        Assert.Equal(line, error.Line);
        Assert.Equal(key, error.Key);
        Assert.Contains(problem, error.Problem);
        Assert.StartsWith($"jobs.yaml line {line}: key '{key}': ", error.Message);
    }

    [Fact]
    public void InvalidYaml_ErrorNamesTheLine()
    {
        var error = Assert.Throws<JobsFileException>(() => Parse("jobs:\n  selfplay:\n    command: [a, b\n"));
        Assert.NotNull(error.Line);
        Assert.Null(error.Key);
        Assert.Contains("invalid YAML", error.Message);
    }

    [Fact]
    public void TabIndentation_IsReportedAtTheTabbedLine_AsInTheHostsFile()
    {
        var error = Assert.Throws<JobsFileException>(() => Parse("jobs:\n  selfplay:\n\tcommand: [a]\n"));
        Assert.Equal(3, error.Line);
        Assert.Contains("tab", error.Message);
    }

    [Fact]
    public void UnknownAlias_IsReportedWhereItIsUsed_AsInTheHostsFile()
    {
        var error = Assert.Throws<JobsFileException>(() => Parse("slots:\n  cpu: 2\njobs:\n  sync: *missing\n"));
        Assert.Equal(4, error.Line);
        Assert.StartsWith("jobs.yaml line 4: invalid YAML: ", error.Message);
    }

    [Fact]
    public void DuplicateJobType_IsRefused()
    {
        var error = Assert.Throws<JobsFileException>(() => Parse("jobs:\n  sync:\n    command: [a]\n  sync:\n    command: [b]\n"));
        Assert.Equal(4, error.Line); // YamlDotNet refuses duplicate keys while loading, at the second one
        Assert.Contains("Duplicate key", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Load_MissingFile_NamesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N"), "jobs.yaml");
        var error = Assert.Throws<JobsFileException>(() => JobsFile.Load(path));
        Assert.Equal(path, error.SourceName);
        Assert.Null(error.Line);
        Assert.StartsWith(path + ": cannot read the jobs file", error.Message);
    }

    [Fact]
    public void Load_ResolvesWorkingDirAgainstTheFilesFolder()
    {
        var dir = Directory.CreateTempSubdirectory("ringrift-jobsfile-").FullName;
        try
        {
            var path = Path.Combine(dir, "jobs.yaml");
            File.WriteAllText(path, "jobs:\n  evaluation:\n    command: [./eval.sh]\n    working_dir: bin\n");
            Assert.Equal(Path.Combine(dir, "bin"), JobsFile.Load(path).Jobs[JobType.Evaluation].WorkingDir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
