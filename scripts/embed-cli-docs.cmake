# Embed docs/cli/<command>.md into a C table of subcommand docs (STYLE
# rule 24): the CLI prints --help, the usage line of its errors and the
# command list from it, so the docs are the only copy of that text.
# Called as: cmake -DOUT=file.c -DDIR=docs/cli -P embed-cli-docs.cmake
#
# A command's file is docs/cli/NAME.md (NAME in [a-z][a-z0-9-]*; other
# files such as README.md are skipped), exactly:
#   ---
#   name: NAME
#   args: DB [--json]           what follows "sanigrid NAME" in a usage
#   help: one line              the command list of `sanigrid --help`
#   example: sanigrid NAME ...  one command line; tests/cli/docs.sh runs it
#   ---
#   ```text
#   <the --help text, byte for byte>
#   ```
# The header is YAML front matter (GitHub shows it as a table): a value
# is the rest of its line, or, when it starts with ', YAML single-quoted
# ('' stands for ') for a value YAML would misread (": ", leading [).
# The --help text is every line between the ```text line and the last
# line, ```, each with its newline; no line of it may start with ```.
#
# docs/cli/NAME.zh.md, when there is one, is the same command's page in
# Simplified Chinese, in the same format (name: NAME): its args, help
# and --help text go into the entry's zh fields; without one they are
# NULL and src/cli/docs.c falls back to English. A NAME.zh.md without a
# NAME.md is an error.
# SPDX-License-Identifier: MIT
cmake_minimum_required(VERSION 3.18) # string(HEX)
file(GLOB FILES ${DIR}/*.md)
list(SORT FILES)

# sg_doc_value(HEADER KEY OUT FILE): the value of "KEY: ..." in HEADER
# (which starts with a newline), unquoted; a fatal error if it is
# missing or empty.
function(sg_doc_value header key out file)
  string(REGEX MATCH "\n${key}: ([^\n]*)" m "${header}")
  set(v "${CMAKE_MATCH_1}")
  if(v MATCHES "^'(.*)'$")
    string(REPLACE "''" "'" v "${CMAKE_MATCH_1}")
  elseif(v MATCHES "^'")
    message(FATAL_ERROR "${file}: ${key}: an opening ' without a closing one")
  endif()
  if(v STREQUAL "")
    message(FATAL_ERROR "${file}: no '${key}: ...' line in the header")
  endif()
  set(${out} "${v}" PARENT_SCOPE)
endfunction()

# sg_c_string(TEXT OUT): TEXT as a C string literal of \xNN escapes (any
# byte, quote or backslash is safe; a \x escape ends at the next \).
function(sg_c_string text out)
  string(HEX "${text}" hex)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
  set(${out} "\"${escaped}\"" PARENT_SCOPE)
endfunction()

# sg_doc_read(FILE NAME PREFIX): parse FILE, the page of command NAME
# (its name: must be NAME), into PREFIX_args, PREFIX_line (help:),
# PREFIX_body (the --help text) and PREFIX_example in the caller's scope.
function(sg_doc_read f name prefix)
  file(READ ${f} content)    # (CMake drops \r: CRLF files read as LF)
  # front matter: "---\n" HEADER "\n---\n"
  string(SUBSTRING "${content}" 0 4 open)
  if(NOT open STREQUAL "---\n")
    message(FATAL_ERROR "${f}: must start with a line ---")
  endif()
  string(SUBSTRING "${content}" 3 -1 rest)          # "\nname: ...\n---\n..."
  string(FIND "${rest}" "\n---\n" close)
  if(close LESS 0)
    message(FATAL_ERROR "${f}: no line --- closing the header")
  endif()
  string(SUBSTRING "${rest}" 0 ${close} header)     # "\nname: ...\n...", no final \n
  math(EXPR from "${close} + 5")
  string(SUBSTRING "${rest}" ${from} -1 text)       # "```text\n...```\n"
  # every header line is a known key
  string(REGEX REPLACE "\n(name|args|help|example): [^\n]*" "" unknown "${header}")
  if(NOT unknown STREQUAL "")
    message(FATAL_ERROR "${f}: header lines must be name:, args:, help: or example:")
  endif()
  sg_doc_value("${header}" name doc_name ${f})
  sg_doc_value("${header}" args doc_args ${f})
  sg_doc_value("${header}" help doc_help ${f})
  sg_doc_value("${header}" example doc_example ${f})
  foreach(key name args help example)
    string(REGEX MATCHALL "\n${key}: " all "${header}")
    list(LENGTH all count)
    if(NOT count EQUAL 1)
      message(FATAL_ERROR "${f}: more than one '${key}:' line")
    endif()
  endforeach()
  if(NOT doc_name STREQUAL name)
    message(FATAL_ERROR "${f}: name: ${doc_name} is not the file's name")
  endif()
  if(doc_help MATCHES "\n" OR doc_args MATCHES "\n")
    message(FATAL_ERROR "${f}: args and help are one line each")
  endif()
  # body: "```text\n" HELP "```\n", HELP a whole number of lines
  string(LENGTH "${text}" tlen)
  if(tlen LESS 13)
    message(FATAL_ERROR "${f}: after the header, a ```text block with the --help text")
  endif()
  string(SUBSTRING "${text}" 0 8 fence_open)
  math(EXPR at "${tlen} - 5")
  string(SUBSTRING "${text}" ${at} 5 fence_close)
  if(NOT fence_open STREQUAL "```text\n" OR NOT fence_close STREQUAL "\n```\n")
    message(FATAL_ERROR "${f}: the body must be one ```text block, from the "
                        "line after the header's --- to the last line ```")
  endif()
  math(EXPR hlen "${tlen} - 8 - 4")
  string(SUBSTRING "${text}" 8 ${hlen} help)
  if(help MATCHES "\n```" OR help MATCHES "^```")
    message(FATAL_ERROR "${f}: a line of the --help text starts with ```")
  endif()
  set(${prefix}_args "${doc_args}" PARENT_SCOPE)
  set(${prefix}_line "${doc_help}" PARENT_SCOPE)
  set(${prefix}_body "${help}" PARENT_SCOPE)
  set(${prefix}_example "${doc_example}" PARENT_SCOPE)
endfunction()

set(body "/* Generated by scripts/embed-cli-docs.cmake from docs/cli/. Do not edit. */\n")
string(APPEND body "#include <stddef.h>\n#include \"cli/docs_int.h\"\n")
string(APPEND body "const cli__doc cli__docs[] = {\n")
set(n 0)
foreach(f ${FILES})
  get_filename_component(fname ${f} NAME)
  if(fname MATCHES "^([a-z][a-z0-9-]*)\\.zh\\.md$")
    # a Chinese page: needs its English one (the command's name and
    # the fallback); read below with it
    if(NOT EXISTS "${DIR}/${CMAKE_MATCH_1}.md")
      message(FATAL_ERROR "${f}: no ${CMAKE_MATCH_1}.md beside it")
    endif()
    continue()
  endif()
  if(NOT fname MATCHES "^([a-z][a-z0-9-]*)\\.md$")
    continue()                                      # README.md
  endif()
  set(name "${CMAKE_MATCH_1}")
  sg_doc_read(${f} ${name} en)
  sg_c_string("${name}" c_name)
  sg_c_string("${en_args}" c_args)
  sg_c_string("${en_line}" c_line)
  sg_c_string("${en_body}" c_body)
  set(zh "${DIR}/${name}.zh.md")
  if(EXISTS "${zh}")
    sg_doc_read(${zh} ${name} zh)
    sg_c_string("${zh_args}" z_args)
    sg_c_string("${zh_line}" z_line)
    sg_c_string("${zh_body}" z_body)
  else()                      # no Chinese page: docs.c falls back to English
    set(z_args NULL)
    set(z_line NULL)
    set(z_body NULL)
  endif()
  string(APPEND body "  {${c_name}, {${c_args}, ${c_line},\n   ${c_body}},\n"
                     "   {${z_args}, ${z_line},\n   ${z_body}}},\n")
  math(EXPR n "${n} + 1")
endforeach()
if(n EQUAL 0)
  string(APPEND body "  {NULL, {NULL, NULL, NULL}, {NULL, NULL, NULL}},\n")
endif()
string(APPEND body "};\nconst size_t cli__doc_count = ${n};\n")
file(WRITE ${OUT} "${body}")
