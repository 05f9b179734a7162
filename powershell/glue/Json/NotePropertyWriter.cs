using System;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;

namespace Okta.PowerShell.Json;

/// <summary>
/// Adds note properties to new PSCustomObjects, fast. PowerShell's public way (<c>PSObject.Properties.Add</c>)
/// also tells every member binder of the process, for each property of each object, that an instance member
/// of that name now exists: a global, case-insensitive lookup plus two locks. For a page of users that is most
/// of the conversion time (measured: 3–7× the cost of the insert itself). The binders' flag is sticky, so
/// telling them once per distinct name (<see cref="Announce"/>), before any object is visible to a script, is
/// all they need; each property then goes straight into the object's own member table.
/// <para>
/// A new object also gets its member table directly (<see cref="MembersOfNew"/>). Asking a PSObject for its
/// instance members the usual way files the table in a process-wide weak table keyed by the object (so a
/// PSObject re-created around the same .NET object finds its members again); for a PSCustomObject the key is
/// the object itself, so the entry only costs: a lock, and a dependent GC handle per object that every
/// collection must trace. Measured: a third of the conversion time of one user, and a quarter of the collection
/// pauses of a script that keeps 100,000 users.
/// <para>
/// Those are System.Management.Automation internals (PSObject.InstanceMembers and its setter,
/// PSMemberInfoInternalCollection, PSMemberInfo.ReplicateInstance, PSGetMemberBinder.SetHasInstanceMember,
/// PSVariableAssignmentBinder.NoteTypeHasInstanceMemberOrTypeName), found once by reflection. If a PowerShell version lacks any of them, <see cref="IsFast"/> is false and
/// every call takes the public path: slower, never wrong.
/// </para>
/// </summary>
internal static class NotePropertyWriter
{
    private static readonly Func<PSObject, PSMemberInfoCollection<PSMemberInfo>>? InstanceMembers;
    private static readonly Func<PSObject, PSMemberInfoCollection<PSMemberInfo>>? NewInstanceMembers;
    private static readonly Action<PSMemberInfo, object>? ReplicateInstance;
    private static readonly Action<string>? SetHasInstanceMember;

    /// <summary>Whether the fast path is in use (the test suite checks it is, on the pinned pwsh).</summary>
    internal static bool IsFast { get; }

    static NotePropertyWriter()
    {
        try
        {
            const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
            const BindingFlags Static = BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public;
            var automation = typeof(PSObject).Assembly;
            var membersProperty = typeof(PSObject).GetProperty("InstanceMembers", Instance);
            var members = membersProperty?.GetGetMethod(nonPublic: true);
            var replicate = typeof(PSMemberInfo).GetMethod("ReplicateInstance", Instance, null, new[] { typeof(object) }, null);
            var binder = automation.GetType("System.Management.Automation.Language.PSGetMemberBinder")
                ?.GetMethod("SetHasInstanceMember", Static, null, new[] { typeof(string) }, null);
            var assignment = automation.GetType("System.Management.Automation.Language.PSVariableAssignmentBinder")
                ?.GetMethod("NoteTypeHasInstanceMemberOrTypeName", Static, null, new[] { typeof(Type) }, null);
            if (members is null || replicate is null || binder is null || assignment is null) return;
            if (!typeof(PSMemberInfoCollection<PSMemberInfo>).IsAssignableFrom(members.ReturnType)) return;

            InstanceMembers = members.CreateDelegate<Func<PSObject, PSMemberInfoCollection<PSMemberInfo>>>();
            NewInstanceMembers = CompileNewInstanceMembers(membersProperty!);
            ReplicateInstance = replicate.CreateDelegate<Action<PSMemberInfo, object>>();
            SetHasInstanceMember = binder.CreateDelegate<Action<string>>();
            // What the public path notes for every object's base type; every object here is a PSCustomObject.
            assignment.Invoke(null, new object[] { typeof(PSCustomObject) });
            IsFast = true;
        }
        catch (Exception)
        {
            // a PowerShell whose internals differ: the public path below serves
        }
    }

    /// <summary>
    /// <c>target => target.InstanceMembers = new PSMemberInfoInternalCollection&lt;PSMemberInfo&gt;()</c>, compiled
    /// (the types are internal); null when the setter or the constructor is missing.
    /// </summary>
    private static Func<PSObject, PSMemberInfoCollection<PSMemberInfo>>? CompileNewInstanceMembers(PropertyInfo membersProperty)
    {
        var setter = membersProperty.GetSetMethod(nonPublic: true);
        var table = membersProperty.PropertyType;
        var constructor = table.GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, null, Type.EmptyTypes, null);
        if (setter is null || constructor is null || !typeof(PSMemberInfoCollection<PSMemberInfo>).IsAssignableFrom(table)) return null;
        var target = Expression.Parameter(typeof(PSObject), "target");
        var created = Expression.Variable(table, "created");
        var body = Expression.Block(
            new[] { created },
            Expression.Assign(created, Expression.New(constructor)),
            Expression.Call(target, setter, created),
            Expression.Convert(created, typeof(PSMemberInfoCollection<PSMemberInfo>)));
        return Expression.Lambda<Func<PSObject, PSMemberInfoCollection<PSMemberInfo>>>(body, target).Compile();
    }

    /// <summary>Tells PowerShell's member binders that objects with a property of this name exist. Once per name per parse.</summary>
    internal static void Announce(string name) => SetHasInstanceMember?.Invoke(name);

    /// <summary>
    /// The member table to <see cref="Add"/> to: the object's own one on the fast path, else its public
    /// property collection (which does its own announcing).
    /// </summary>
    private static PSMemberInfoCollection<PSMemberInfo> MembersOf(PSObject target) =>
        InstanceMembers is { } members ? members(target) : target.Members;

    /// <summary>
    /// The member table to <see cref="Add"/> to, for a PSCustomObject just made here, that nothing else has seen: its member table
    /// is set on the object itself, not filed in PowerShell's weak table (see the class summary).
    /// </summary>
    internal static PSMemberInfoCollection<PSMemberInfo> MembersOfNew(PSObject fresh) =>
        NewInstanceMembers is { } create ? create(fresh) : MembersOf(fresh);

    /// <summary>
    /// Adds a property whose name the caller has checked (not empty, not reserved, no case-insensitive repeat)
    /// and <see cref="Announce"/>d.
    /// </summary>
    internal static void Add(PSObject target, PSMemberInfoCollection<PSMemberInfo> members, PSNoteProperty property)
    {
        ReplicateInstance?.Invoke(property, target);
        members.Add(property, preValidated: true);
    }
}
