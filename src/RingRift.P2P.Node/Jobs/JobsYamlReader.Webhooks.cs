using System.Collections.ObjectModel;
using RingRift.P2P.Notifications;
using YamlDotNet.RepresentationModel;
using static RingRift.P2P.Yaml.YamlNodes;

namespace RingRift.P2P.Node.Jobs;

internal sealed partial class JobsYamlReader
{
    /// <summary><c>webhooks: [{url, events?: [names], format?: auto|slack|discord|generic}]</c>; events must be known names.</summary>
    private ReadOnlyCollection<WebhookConfig> ReadWebhooks(YamlNode node)
    {
        var list = new List<WebhookConfig>();
        if (IsNull(node)) return list.AsReadOnly();
        if (node is not YamlSequenceNode items) throw Error(node, "webhooks", $"expected a list of {{url, events, format}}, got {Describe(node)}");
        for (var i = 0; i < items.Children.Count; i++)
        {
            try
            {
                if (ReadWebhook(items.Children[i], $"webhooks[{i}]") is { } webhook) list.Add(webhook);
            }
            catch (JobsFileException e) when (Collected(e)) { }
        }
        return list.AsReadOnly();
    }

    private WebhookConfig? ReadWebhook(YamlNode node, string key)
    {
        if (node is not YamlMappingNode map) throw Error(node, key, $"expected a mapping with url, events, format, got {Describe(node)}");
        string? url = null;
        var events = new List<string>();
        var format = WebhookFormat.Auto;
        var urlFailed = false;
        foreach (var (fieldNode, value) in map.Children)
        {
            string? field = null;
            try
            {
                field = KeyName(fieldNode, key);
                switch (field)
                {
                    case "url": url = Text(value, $"{key}.url"); break;
                    case "events": events = ReadEvents(value, $"{key}.events"); break;
                    case "format":
                        format = Text(value, $"{key}.format") switch
                        {
                            null or "auto" => WebhookFormat.Auto,
                            "slack" => WebhookFormat.Slack,
                            "discord" => WebhookFormat.Discord,
                            "generic" => WebhookFormat.Generic,
                            var other => throw Error(value, $"{key}.format", $"expected auto, slack, discord or generic, got '{other}'"),
                        };
                        break;
                    default: throw Error(fieldNode, $"{key}.{field}", "unknown key; allowed: url, events, format");
                }
            }
            catch (JobsFileException e) when (Collected(e))
            {
                urlFailed |= field == "url";
            }
        }
        if (url is null)
        {
            // A bad url is reported already; only a missing one is reported here.
            if (urlFailed) return null;
            throw Error(map, $"{key}.url", "a webhook needs a url");
        }
        try { return new WebhookConfig(url, events, format); }
        catch (ArgumentException e) { throw Error(map, $"{key}.url", e.Message); }
    }

    private List<string> ReadEvents(YamlNode node, string key) =>
        ScalarList(node, key, "event names", name => name is not null && ClusterEventNames.All.Contains(name)
            ? name
            : throw new FormatException($"unknown event '{name}'; known: {string.Join(", ", ClusterEventNames.All)}"));
}
