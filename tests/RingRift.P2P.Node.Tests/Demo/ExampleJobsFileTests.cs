using System.CommandLine;
using System.Text.RegularExpressions;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;
using YamlDotNet.RepresentationModel;

namespace RingRift.P2P.Node.Tests.Demo;

/// <summary>examples/jobs.yaml: each job runs a demo-job sub-command whose options the real parser accepts.</summary>
public sealed partial class ExampleJobsFileTests
{
    private static readonly Dictionary<string, string> Sample = new()
    {
        ["ringrift_p2p"] = "/opt/ringrift-p2p",
        ["board_type"] = "hex8",
        ["num_players"] = "2",
        ["config"] = "hex8_2p",
        ["games"] = "200",
        ["data_dir"] = "/data/node-a",
        ["job_id"] = "w1",
        ["model_path"] = "/data/node-a/models/hex8_2p/m.json",
    };

    [Theory]
    [InlineData("selfplay", "selfplay")]
    [InlineData("training", "train")]
    [InlineData("evaluation", "evaluate")]
    [InlineData("gauntlet", "evaluate")]
    public void JobCommand_ParsesAsTheDemoSubCommand(string jobType, string subCommand)
    {
        var argv = Command(jobType);

        Assert.Equal(["{ringrift_p2p}", "demo-job", subCommand], argv.Take(3));
        var filled = argv.Skip(1).Select(a => Placeholder().Replace(a, m => Sample.TryGetValue(m.Groups[1].Value, out var v)
            ? v : throw new Xunit.Sdk.XunitException($"{jobType} uses placeholder {m.Value} the test does not know"))).ToArray();
        var parse = new RootCommand { DemoJobCommand.Create() }.Parse(filled);
        Assert.Empty(parse.Errors);
        Assert.Equal(subCommand, parse.CommandResult.Command.Name);
    }

    [Fact]
    public void File_NamesEveryJobTheTrainingLoopNeeds_AndShowsACustomType()
    {
        var jobs = (YamlMappingNode)Root()["jobs"];
        Assert.Equal(["selfplay", "training", "evaluation", "gauntlet"], jobs.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        var parsed = RingRift.P2P.Node.Jobs.JobsFile.Load(JobsFile());
        Assert.Contains(RingRift.P2P.Models.JobType.Parse("gauntlet"), parsed.Capabilities);
    }

    private static string[] Command(string jobType)
    {
        var job = (YamlMappingNode)((YamlMappingNode)Root()["jobs"])[jobType];
        return ((YamlSequenceNode)job["command"]).Children.Select(c => ((YamlScalarNode)c).Value!).ToArray();
    }

    private static YamlMappingNode Root()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(JobsFile())));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string JobsFile() => RepoFiles.Path("examples", "jobs.yaml");

    [GeneratedRegex(@"\{([a-z_0-9.]+)\}")]
    private static partial Regex Placeholder();
}
