@echo off
rem n2d-live @VERSION@ command line (release zip). Needs Java 11 or later: JAVA_HOME, or java on the PATH.
rem The GPU: "n2d gpu use <folder with a CUDA libtorch>", then "n2d gpu status"; no environment variable needed.
setlocal
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
if not defined N2D_JAVA_OPTS set "N2D_JAVA_OPTS=-Xmx4g -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
"%JAVA%" %N2D_JAVA_OPTS% -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error -Dorg.slf4j.simpleLogger.log.ai.djl.onnxruntime.engine.OrtEngine=error -cp "%~dp0n2d-live-engine-@VERSION@.jar;%~dp0lib\*" org.n2dlive.cli.Main %*
exit /b %ERRORLEVEL%
