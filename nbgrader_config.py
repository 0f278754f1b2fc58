# nbgrader settings for this course's TypeScript notebooks (see the README, "For instructors").
# The course's own `npm run student` and `npm run grade` need none of this; it is for an
# instructor who runs the course through nbgrader: put the chapters in
# source/<assignment>/ of an nbgrader course folder and this file beside source/.
c = get_config()  # noqa: F821 (nbgrader provides get_config)

# What replaces a worked solution in the student's copy. The same two lines the course's
# student edition writes, so both tools hand out the same notebook.
c.ClearSolutions.code_stub = {"typescript": '// YOUR CODE HERE\nthrow new Error("not implemented");'}

# The chapters mark regions with `// BEGIN SOLUTION` and `// BEGIN HIDDEN TESTS` comments;
# nbgrader finds a delimiter anywhere in a line, so the default words are all it needs.
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"

# A check cell scores zero when it writes to stderr, which is how the course's `exercise()`
# reports a failed check (it never throws, so Run All goes on). Chapter 13 trains two MNIST
# models before its exercises: allow each cell up to 10 minutes.
c.ExecutePreprocessor.timeout = 600
c.ExecutePreprocessor.kernel_name = "tslab"
