using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;

namespace Okta.PowerShell.Json;

/// <summary>
/// Gives new PSCustomObjects their type names, fast. Reading the public <c>PSObject.TypeNames</c> of a new object
/// copies its shared, read-only names and files the copy in a process-wide weak table keyed by the object (a lock
/// and a dependent GC handle per object, for an entry nothing else looks up: see <see cref="NotePropertyWriter"/>).
/// Here the names are read without the copy and the object gets its own list directly, through the internal
/// <c>PSObject.InternalTypeNames</c> and <c>ConsolidatedString</c>. If a PowerShell version lacks them, the
/// public path serves: slower, never wrong.
/// </summary>
internal static class TypeNamesWriter
{
    private static readonly Func<PSObject, IList<string>>? Current;
    private static readonly Action<PSObject, IEnumerable<string>>? Replace;

    /// <summary>Whether the fast path is in use (the test suite checks it is, on the pinned pwsh).</summary>
    internal static bool IsFast { get; }

    static TypeNamesWriter()
    {
        try
        {
            var property = typeof(PSObject).GetProperty("InternalTypeNames", BindingFlags.Instance | BindingFlags.NonPublic);
            var getter = property?.GetGetMethod(nonPublic: true);
            var setter = property?.GetSetMethod(nonPublic: true);
            var list = property?.PropertyType;
            var constructor = list?.GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, null, new[] { typeof(IEnumerable<string>) }, null);
            if (getter is null || setter is null || list is null || constructor is null || !typeof(IList<string>).IsAssignableFrom(list)) return;

            Current = getter.CreateDelegate<Func<PSObject, IList<string>>>();
            // the constructor's type is internal, so the setter call is compiled
            var target = Expression.Parameter(typeof(PSObject), "target");
            var names = Expression.Parameter(typeof(IEnumerable<string>), "names");
            Replace = Expression.Lambda<Action<PSObject, IEnumerable<string>>>(
                Expression.Call(target, setter, Expression.New(constructor, names)), target, names).Compile();
            IsFast = true;
        }
        catch (Exception)
        {
            // a PowerShell whose internals differ: the public path below serves
        }
    }

    /// <summary>The object's type names, to read only.</summary>
    internal static IList<string> Peek(PSObject target) => Current is { } current ? current(target) : target.TypeNames;

    /// <summary>Puts <paramref name="front"/> before the type names of an object made here.</summary>
    internal static void Prepend(PSObject target, List<string> front)
    {
        if (Replace is { } replace)
        {
            var all = new List<string>(front.Count + 2);
            all.AddRange(front);
            all.AddRange(Peek(target));
            replace(target, all);
            return;
        }
        var names = target.TypeNames;
        for (var i = front.Count - 1; i >= 0; i--) names.Insert(0, front[i]);
    }
}
