# Runs GNU ar's MRI script SCRIPT (circuit_kit.mri: create the kit's library, addlib each of zkrv's
# archives, save): cmake -DAR=<ar> -DSCRIPT=<script> -P merge_archives.cmake
execute_process(COMMAND ${AR} -M INPUT_FILE ${SCRIPT} RESULT_VARIABLE status ERROR_VARIABLE error)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "merging the circuit kit's library (${AR} -M < ${SCRIPT}) failed (${status}): ${error}")
endif()
