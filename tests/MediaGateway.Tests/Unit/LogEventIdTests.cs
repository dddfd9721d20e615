using System.Reflection;
using MediaGateway.Hosting;
using MediaGateway.Observability;
using MediaGateway.Platforms;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Tests.Unit;

/// <summary>
/// A log event id names one kind of event. The gateway writes its own events and its platform clients' into one log,
/// so an id must be unique across both assemblies: an operator's alert on an id must not also fire on another event.
/// </summary>
public class LogEventIdTests
{
    private static readonly Assembly[] Writers = [typeof(GatewayHost).Assembly, typeof(PlatformErrorClass).Assembly];

    private static List<(string Method, int Id)> LoggerMessages() =>
        (from assembly in Writers
         from type in assembly.GetTypes()
         from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
         let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
         where attribute is not null
         select ($"{type.FullName}.{method.Name}", attribute.EventId)).ToList();

    [Fact]
    public void EveryLoggerMessage_HasAnIdOfItsOwn()
    {
        var messages = LoggerMessages();
        Assert.True(messages.Count > 40, $"only {messages.Count} [LoggerMessage] methods found: is the scan still looking at the right assemblies?");
        var shared = messages.GroupBy(m => m.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();
        Assert.Empty(shared);
    }

    /// <summary>The registries' constants: the gateway's and the platform clients' (internal there, so found by name).</summary>
    private static List<(string Name, int Id)> Registered() =>
        (from registry in new[] { typeof(EventIds), typeof(PlatformErrorClass).Assembly.GetType("MediaGateway.Platforms.PlatformEventIds", throwOnError: true)! }
         from field in registry.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
         where field.IsLiteral && field.FieldType == typeof(int)
         select ($"{registry.Name}.{field.Name}", (int)field.GetRawConstantValue()!)).ToList();

    [Fact]
    public void TheRegistries_GiveEachIdOneName()
    {
        var shared = Registered().GroupBy(r => r.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(r => r.Name))}").ToList();
        Assert.Empty(shared);
    }

    [Fact]
    public void EveryLoggerMessage_TakesItsIdFromTheRegistries_AndEveryRegisteredIdIsWritten()
    {
        var written = LoggerMessages();
        var registered = Registered().Select(r => r.Id).ToHashSet();
        Assert.Empty(written.Where(m => !registered.Contains(m.Id)).Select(m => $"{m.Id}: {m.Method}"));
        var writtenIds = written.Select(m => m.Id).ToHashSet();
        Assert.Empty(Registered().Where(r => !writtenIds.Contains(r.Id)).Select(r => r.Name));
    }
}
